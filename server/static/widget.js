// Sandbox stand-in for Persona's inquiry widget. It speaks the messages the real Persona SDK
// (npm `persona` 5.9.0) listens for: {containerId, name, metadata, error} posted to the parent,
// and it obeys the SDK's {action: "open" | "exit" | "destroy"} messages.
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var containerId = params.get('container-id');
  var inquiryId = params.get('inquiry-id');
  var sessionToken = params.get('session-token');
  var parentOrigin = params.get('message-target-origin') || params.get('iframe-origin');
  var widgetSession = null;
  var exitToken = null;
  var steps = ['loading', 'intro', 'front', 'back', 'document', 'selfie', 'submit', 'sending', 'done', 'refused'];
  // A document request (document_submission) asks for one photo of a document instead.
  var document_ = false;
  function firstCapture() { return document_ ? 'document' : 'front'; }

  // The session token arrived in the URL; keep it out of the history from here on.
  if (window.history && window.history.replaceState) {
    params.delete('session-token');
    window.history.replaceState(null, '', window.location.pathname + '?' + params.toString());
  }

  function post(name, metadata, error) {
    if (!parentOrigin || !window.parent || window.parent === window) return;
    var message = { containerId: containerId, name: name };
    if (metadata !== undefined) message.metadata = metadata;
    if (error !== undefined) message.error = error;
    window.parent.postMessage(message, parentOrigin);
  }

  function show(step) {
    steps.forEach(function (s) {
      document.getElementById('step-' + s).hidden = s !== step;
    });
    var heading = document.querySelector('#step-' + step + ' h1');
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }

  // One call to the sandbox; a call that fails or hangs (a busy machine, a dropped
  // connection) is tried again a few times before the widget gives up with an error, as
  // Persona's own would, instead of sitting on a step that never moves on.
  function api(path, body, tries) {
    tries = tries === undefined ? 3 : tries;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 10000);
    return fetch('/widget/api/' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal
    }).then(function (r) { return r.json(); }).then(function (value) {
      clearTimeout(timer);
      return value;
    }, function (error) {
      clearTimeout(timer);
      if (tries > 1) return api(path, body, tries - 1);
      throw error;
    });
  }

  var errorStatus = { unauthenticated: 409, inactive_template: 422, invalid_config: 400 };

  function refuse(code) {
    document.getElementById('refused-reason').textContent = 'Persona error: ' + code;
    show('refused');
    post('error', undefined, { status: errorStatus[code] || 0, code: code });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== parentOrigin || !event.data || typeof event.data.action !== 'string') return;
    if (event.data.action === 'exit') {
      post('exit', { inquiryId: inquiryId, sessionToken: exitToken || undefined });
    }
  });

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (!button) return;
    var action = button.getAttribute('data-action');
    if (action === 'cancel') {
      post('exit', { inquiryId: inquiryId, sessionToken: exitToken || undefined });
    } else if (action === 'error') {
      post('error', undefined, { status: 0, code: 'application_error', message: 'simulated' });
    } else if (action === 'handoff') {
      post('one-time-link-sent', {});
    } else if (action === 'begin') {
      api('start', { widget_session: widgetSession }).then(function () {
        post('start', { inquiryId: inquiryId });
        show(firstCapture());
      }, function () { refuse('application_error'); });
    } else if (action === 'front') {
      post('document-camera-capture', {});
      show('back');
    } else if (action === 'back') {
      post('document-camera-capture', {});
      show('selfie');
    } else if (action === 'document') {
      post('document-camera-capture', {});
      show('submit');
    } else if (action === 'selfie') {
      post('selfie-camera-capture', {});
      show('submit');
    } else if (action === 'submit') {
      show('sending');
      api('submit', { widget_session: widgetSession }, 1).then(function (r) {
        show('done');
        var status = r.status || 'completed';
        post(status === 'failed' ? 'fail' : 'complete', { inquiryId: inquiryId, status: status, fields: {} });
      }, function () { refuse('application_error'); });
    }
  });

  post('load');
  api('open', { inquiry_id: inquiryId, session_token: sessionToken || null }).then(function (r) {
    if (r.error) { refuse(r.error); return; }
    widgetSession = r.widget_session;
    exitToken = r.exit_token;
    document_ = !!r.document;
    if (document_) {
      document.getElementById('intro-note').textContent = 'You will photograph the document you were asked for. This is a simulation.';
      document.getElementById('ready-note').textContent = 'Your document photo is ready.';
    }
    document.getElementById('resume-note').hidden = !r.resumed;
    show(r.resumed ? firstCapture() : 'intro');
    post('ready', { preferredDimensions: {} });
    if (r.resumed) post('start', { inquiryId: inquiryId });
  }, function () { refuse('application_error'); });
})();
