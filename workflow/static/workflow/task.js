// Common phrases: a click puts the phrase into the opinion (appended when there is text).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".wf-phrase");
  if (!button) return;
  const opinion = button.closest("form").querySelector("textarea[name=opinion]");
  const phrase = button.dataset.phrase;
  opinion.value = opinion.value.trim() ? `${opinion.value.trim()} ${phrase}` : phrase;
  opinion.focus();
});
