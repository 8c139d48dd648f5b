// suggest.js — while a customer types a new ticket's subject, offer the
// knowledge-base articles that may already answer it (INT-7) and their
// organization's open tickets on what looks like the same topic (INT-4).
// The form works without it: the server repeats the duplicate check.
(function () {
	'use strict';
	var input = document.querySelector('[data-suggest]');
	if (!input)
		return;
	var box = document.getElementById(input.getAttribute('data-suggest'));
	var timer = null, last = '';

	function list(title, items) {
		var h = document.createElement('p'), ul = document.createElement('ul');
		h.className = 'meta';
		h.textContent = title;
		items.forEach(function (it) {
			var li = document.createElement('li'), a = document.createElement('a');
			a.href = it.url;
			a.textContent = it.title;
			li.appendChild(a);
			ul.appendChild(li);
		});
		box.appendChild(h);
		box.appendChild(ul);
	}

	function show(j) {
		box.textContent = '';
		if (j.articles && j.articles.length)
			list(box.getAttribute('data-articles'), j.articles);
		if (j.tickets && j.tickets.length)
			list(box.getAttribute('data-tickets'), j.tickets);
		box.hidden = box.childNodes.length === 0;
	}

	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(function () {
			var q = input.value.trim();
			if (q === last)
				return;
			last = q;
			if (q.length < 3) {
				show({});
				return;
			}
			fetch('/console/suggest?q=' + encodeURIComponent(q),
			      { credentials: 'same-origin' })
				.then(function (r) { return r.ok ? r.json() : {}; })
				.then(function (j) {
					if (input.value.trim() === q)
						show(j);
				})
				.catch(function () { /* suggestions are a help, not a step */ });
		}, 200);
	});
})();
