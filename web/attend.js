// attend.js — while an agent fills in the attendance form on a ticket,
// show what it would debit: the same computation as logging it
// (BILL-1..8: minimum, after hours, on-site factor, report overhead,
// rounding), asked of the server at /console/t/FOLIO/preview. Nothing is
// written; the form works without this script.
(function () {
	'use strict';
	var out = document.getElementById('attend-preview');
	var form = document.querySelector('form[action$="/attend"]');
	if (!out || !form)
		return;
	var timer = null, asked = '';

	function show(text, bad) {
		out.textContent = text;
		out.className = bad ? 'meta err' : 'meta';
	}

	function ask() {
		var minutes = form.elements.minutes.value.trim();
		var modality = form.elements.modality.value;
		var warranty = form.elements.warranty && form.elements.warranty.checked;
		if (!/^[0-9]+$/.test(minutes) || +minutes < 1 || +minutes > 1440) {
			asked = '';
			show('', false);
			return;
		}
		var q = 'minutes=' + encodeURIComponent(minutes) +
			'&modality=' + encodeURIComponent(modality) +
			(warranty ? '&warranty=1' : '');
		if (q === asked)
			return;
		asked = q;
		fetch(out.getAttribute('data-preview') + '?' + q,
		      { credentials: 'same-origin' })
			.then(function (r) { return r.json(); })
			.then(function (j) {
				if (q !== asked)
					return;
				if (j.error)
					show(j.error.message, true);
				else
					show(j.summary, !j.would_log);
			})
			.catch(function () { /* a help, not a step */ });
	}

	function later() {
		clearTimeout(timer);
		timer = setTimeout(ask, 250);
	}

	form.addEventListener('input', later);
	form.addEventListener('change', later);
})();
