// Behaviour the templates declare with data attributes: the Content-Security-Policy allows no
// inline script or event handler attribute.

// <select data-navigate-on-change>: choosing an option opens its value (a URL).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-navigate-on-change]");
  if (select) window.location.href = select.value;
});

// <form data-confirm="question">: submitted only once the user confirms.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// <details data-collapse-on-phone>: closed on narrow screens, where the panel would push the
// content below the fold.
function collapseOnPhone() {
  if (!window.matchMedia("(max-width: 900px)").matches) return;
  document.querySelectorAll("[data-collapse-on-phone]").forEach((panel) => {
    panel.open = false;
  });
}
document.addEventListener("DOMContentLoaded", collapseOnPhone);
document.addEventListener("turbo:load", collapseOnPhone);
