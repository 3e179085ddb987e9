// The Quote button on each result copies its Markdown snippet to the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.quote-result");
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.dataset.snippet);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed";
  }
  setTimeout(() => { button.textContent = "Quote"; }, 2000);
});
