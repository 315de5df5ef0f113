// The data-entry form's upload progress (loaded with the form; no inline
// script under the pages' Content-Security-Policy). htmx reports an
// upload's progress as htmx:xhr:progress on the form that sent it; the
// form's <progress> shows it while the file is on its way.
(function () {
  'use strict';
  function bar(evt) {
    var form = evt.target && evt.target.closest ? evt.target.closest('form.upload') : null;
    return form ? form.querySelector('progress.upload-progress') : null;
  }
  document.addEventListener('htmx:xhr:progress', function (evt) {
    var p = bar(evt);
    if (!p) { return; }
    p.hidden = false;
    var d = evt.detail || {};
    if (d.lengthComputable && d.total > 0) {
      p.value = Math.round(100 * d.loaded / d.total);
      p.textContent = p.value + '%';
    } else {
      p.removeAttribute('value');
    }
  });
  document.addEventListener('htmx:beforeRequest', function (evt) {
    var p = bar(evt);
    if (p) { p.hidden = false; p.value = 0; }
  });
})();
