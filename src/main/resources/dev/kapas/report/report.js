(function () {
  'use strict';
  var keys = ['layer', 'severity', 'namespace', 'rule'];
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.getElementById('filter-' + k); });
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr[data-rule]'));
  var shown = document.getElementById('shown');
  var empty = document.getElementById('none-shown');

  // The first option of each select means "all"; any other is a value to match exactly.
  function chosen(k) {
    var s = selects[k];
    return s.selectedIndex > 0 ? s.options[s.selectedIndex].value : null;
  }

  function apply() {
    var want = keys.map(chosen);
    var n = 0;
    rows.forEach(function (row) {
      var match = keys.every(function (k, i) {
        return want[i] === null || row.getAttribute('data-' + k) === want[i];
      });
      row.hidden = !match;
      if (match) { n++; }
    });
    shown.textContent = n === rows.length
      ? rows.length + (rows.length === 1 ? ' finding' : ' findings')
      : 'Showing ' + n + ' of ' + rows.length + (rows.length === 1 ? ' finding' : ' findings');
    if (empty) { empty.hidden = n > 0 || rows.length === 0; }
  }

  // #severity=high&namespace=shop selects those; a value no finding has still filters (to nothing).
  function fromHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    keys.forEach(function (k) {
      var s = selects[k];
      s.selectedIndex = 0;
      if (!params.has(k)) { return; }
      var v = params.get(k);
      for (var i = 1; i < s.options.length; i++) {
        if (s.options[i].value === v) { s.selectedIndex = i; return; }
      }
      var extra = document.createElement('option');
      extra.value = v;
      extra.textContent = v + ' (0)';
      s.appendChild(extra);
      s.selectedIndex = s.options.length - 1;
    });
    apply();
  }

  function toHash() {
    var params = new URLSearchParams();
    keys.forEach(function (k) {
      var v = chosen(k);
      if (v !== null) { params.set(k, v); }
    });
    var hash = params.toString();
    window.history.replaceState(null, '', hash ? '#' + hash : window.location.pathname + window.location.search);
    apply();
  }

  keys.forEach(function (k) { selects[k].addEventListener('change', toHash); });
  document.getElementById('filter-reset').addEventListener('click', function () {
    keys.forEach(function (k) { selects[k].selectedIndex = 0; });
    toHash();
  });
  window.addEventListener('hashchange', fromHash);
  document.getElementById('filters').hidden = false;
  fromHash();
}());
