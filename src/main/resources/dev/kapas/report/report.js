(function () {
  'use strict';
  // The script runs in the head, before the rows are parsed: until it ran on the whole page, the
  // style sheet shows only the first rows (.paging), so the browser never lays out a table of
  // thousands of rows. Without script, nothing sets .paging and every row shows.
  var root = document.documentElement;
  root.classList.add('paging');
  document.addEventListener('DOMContentLoaded', function () {
    var keys = ['layer', 'severity', 'namespace', 'rule'];
    var selects = {};
    keys.forEach(function (k) { selects[k] = document.getElementById('filter-' + k); });
    var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr[data-rule]'));
    var shown = document.getElementById('shown');
    var empty = document.getElementById('none-shown');
    var more = document.getElementById('show-more');
    // At most this many matching rows are shown (laying out thousands is slow); the button, or
    // #show=N in the fragment, shows more. Every row stays in the page.
    var PAGE = 500;
    var limit = PAGE;

    function plural(n) { return n + (n === 1 ? ' finding' : ' findings'); }

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
        if (match) { n++; }
        row.hidden = !match || n > limit;
      });
      var visible = Math.min(n, limit);
      if (n === rows.length && visible === n) {
        shown.textContent = plural(n);
      } else if (visible === n || n === rows.length) {
        shown.textContent = 'Showing ' + visible + ' of ' + plural(rows.length);
      } else {
        shown.textContent = 'Showing ' + visible + ' of ' + n + ' matching (' + plural(rows.length) + ')';
      }
      more.hidden = n <= limit;
      if (n > limit) { more.textContent = 'Show ' + Math.min(PAGE, n - limit) + ' more'; }
      if (empty) { empty.hidden = n > 0 || rows.length === 0; }
    }

    // #severity=high&namespace=shop selects those; a value no finding has still filters (to nothing).
    // #show=N shows up to N matching rows instead of the first PAGE.
    function fromHash() {
      var params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
      var show = parseInt(params.get('show'), 10);
      limit = show > 0 ? show : PAGE;
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
      if (limit !== PAGE) { params.set('show', String(limit)); }
      var hash = params.toString();
      window.history.replaceState(null, '', hash ? '#' + hash : window.location.pathname + window.location.search);
      apply();
    }

    // A new filter starts again at the first page.
    keys.forEach(function (k) {
      selects[k].addEventListener('change', function () { limit = PAGE; toHash(); });
    });
    document.getElementById('filter-reset').addEventListener('click', function () {
      keys.forEach(function (k) { selects[k].selectedIndex = 0; });
      limit = PAGE;
      toHash();
    });
    more.addEventListener('click', function () { limit += PAGE; toHash(); });
    window.addEventListener('hashchange', fromHash);
    document.getElementById('filters').hidden = false;
    fromHash();
    // the rows' hidden attributes now say what shows
    root.classList.remove('paging');
  });
}());
