// Sandbox host page: shows the events the embedded app posts to its parent.
(function () {
  'use strict';
  var list = document.getElementById('events');
  window.addEventListener('message', function (event) {
    if (event.origin !== window.location.origin) return;
    var data = event.data;
    if (!data || data.source !== 'kyc-onboarding') return;
    var item = document.createElement('li');
    item.textContent = JSON.stringify(data);
    list.appendChild(item);
  });
})();
