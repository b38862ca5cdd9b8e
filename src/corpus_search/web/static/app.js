// Conveniences only: every page works without JavaScript.
document.addEventListener("keydown", (event) => {
  const box = document.querySelector("input[type=search]");
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "/" && box && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
