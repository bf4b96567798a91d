// Keyboard shortcuts: a key presses the element that names it in data-key. The pages work without this.
document.addEventListener('keydown', function (event) {
  var target = event.target;
  if (target.matches('input[type=text], input:not([type]), textarea, select, input[type=password]')) {
    if (event.key === 'Escape') { target.blur(); }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) { return; }
  var element = document.querySelector('[data-key="' + CSS.escape(event.key.toLowerCase()) + '"]');
  if (!element || element.disabled) { return; }
  event.preventDefault();
  if (element.tagName === 'TEXTAREA') { element.focus(); } else { element.click(); }
});
// Reveal without a reload: the link toggles the blur and greyscale the reviewer's settings start with.
document.addEventListener('click', function (event) {
  var reveal = event.target.closest('#reveal');
  var picture = document.getElementById('picture');
  if (!reveal || !picture) { return; }
  event.preventDefault();
  var hidden = picture.dataset.hidden !== 'no';
  if (hidden) {
    picture.dataset.blur = picture.classList.contains('blur'); picture.dataset.grey = picture.classList.contains('grey');
    picture.classList.remove('blur', 'grey');
  } else {
    picture.classList.toggle('blur', picture.dataset.blur === 'true'); picture.classList.toggle('grey', picture.dataset.grey === 'true');
  }
  picture.dataset.hidden = hidden ? 'no' : 'yes';
  reveal.firstChild.textContent = hidden ? 'Hide ' : 'Reveal ';
});
