// The book's search page: every section and labelled result is a hit, ranked by
// MiniSearch 7.2.0 (BM25; _static/minisearch, from npm, unmodified).
//
// The hits come from _static/search-hits.js (docs/_ext/search_hits.py), a script, so
// that search works from disk as well as served. A query is turned into terms as the
// index was (docs/_ext/search_terms.py): words, Sphinx's stemmer (language_data.js),
// the book's synonyms, stop words dropped.
"use strict";

(() => {
  const data = window.BOOK_SEARCH;
  const stemmer = new Stemmer();
  const LIMIT = 20;
  // The hit's title, its text, and where it is: the page's title and, for a result, the
  // title of the section that holds it.
  const FIELDS = { title: 3, text: 1, page: 0.5, section: 0.5 };

  const words = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

  // A query's terms: a synonym phrase becomes its group's term, other words their stems.
  const queryTerms = (query) => {
    const raw = words(query);
    const stems = raw.map((word) => stemmer.stemWord(word));
    const out = [];
    for (let position = 0; position < stems.length; ) {
      const match = data.synonyms.find(([phrase]) =>
        phrase.every((stem, offset) => stems[position + offset] === stem),
      );
      if (match) {
        out.push(match[1]);
        position += match[0].length;
      } else {
        if (!stopwords.has(raw[position])) out.push(stems[position]);
        position += 1;
      }
    }
    return [...new Set(out)];
  };

  const hits = data.hits.map(
    ([page, anchor, label, title, excerpt, weight, titleTerms, terms, sectionTerms, parent], id) => ({
      id, page, anchor, label, title, excerpt, weight, titleTerms, terms, sectionTerms, parent,
    }),
  );
  const index = new MiniSearch({
    fields: Object.keys(FIELDS),
    // "term*3" is a term that occurs three times (search_hits.counted).
    tokenize: (text) =>
      text.split(" ").flatMap((term) => {
        const [word, count] = term.split("*");
        return Array(Number(count || 1)).fill(word);
      }),
    processTerm: (term) => term || null,
    extractField: (hit, field) =>
      ({
        id: hit.id,
        title: hit.titleTerms,
        text: hit.terms,
        page: data.pages[hit.page][2],
        section: hit.sectionTerms,
      })[field],
  });
  // Indexed in chunks, so that the page stays responsive on a slow phone.
  const indexed = index.addAllAsync(hits, { chunkSize: 40 });

  // Ranked hits: BM25 over the fields, times the hit's weight, times the share of the
  // query's terms the hit holds (squared), so that a hit with every word comes first.
  // A result that matches ranks at least as high as the section that holds it: the
  // section's text explains the result, and the result is what the reader came for.
  const search = (terms) => {
    const scores = new Map(
      index
        .search(terms.join(" "), {
          boost: FIELDS,
          prefix: (term) => term.length >= 4 && !term.startsWith("="),
          fuzzy: (term) => (term.length >= 7 && !term.startsWith("=") ? 0.15 : false),
          boostDocument: (id) => hits[id].weight,
        })
        .map((found) => {
          const share = new Set(found.queryTerms).size / terms.length;
          return [found.id, { score: found.score * share ** 2, every: share === 1 }];
        }),
    );
    const lifted = (id, score) =>
      Math.max(score, 1.0001 * (scores.get(hits[id].parent)?.score ?? 0));
    return [...scores]
      .map(([id, { score, every }]) => ({ hit: hits[id], score: lifted(id, score), every }))
      .sort((a, b) => b.score - a.score || a.hit.id - b.hit.id);
  };

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const show = (query) => {
    const out = document.getElementById("search-results");
    const terms = queryTerms(query);
    const found = terms.length ? search(terms) : [];
    const status = element("p", "search-summary");
    status.textContent =
      found.length && !found.some((f) => f.every)
        ? `No place in the book has every word of “${query}”; these have some of them.`
      : found.length > LIMIT ? `The ${LIMIT} best of ${found.length} places that match “${query}”.`
      : found.length > 1 ? `${found.length} places match “${query}”, the best first.`
      : found.length ? `One place matches “${query}”.`
      : `Nothing in the book matches “${query}”. Try fewer or other words.`;
    const list = element("ol", "search-hits");
    for (const { hit } of found.slice(0, LIMIT)) {
      const [uri, pageTitle] = data.pages[hit.page];
      const item = list.appendChild(element("li", `search-hit search-hit-${hit.label.toLowerCase()}`));
      const link = item.appendChild(element("a", "search-hit-title", hit.title));
      link.href = hit.anchor ? `${uri}#${hit.anchor}` : uri;
      const where = hit.label === "Page" ? pageTitle : `${hit.label} · ${pageTitle}`;
      item.appendChild(element("span", "search-hit-where", where));
      if (hit.excerpt) item.appendChild(element("p", "search-hit-excerpt", hit.excerpt));
    }
    out.replaceChildren(status, list);
    out.dataset.state = "done";
  };

  // For tests/site/test_search.py, which compares queryTerms with search_terms.query_terms.
  window.bookSearch = { queryTerms };

  const query = new URLSearchParams(window.location.search).get("q");
  if (query && query.trim()) {
    document.querySelectorAll('input[name="q"]').forEach((input) => (input.value = query));
    indexed.then(() => show(query.trim()));
  } else {
    document.getElementById("search-results").dataset.state = "done";
  }
})();
