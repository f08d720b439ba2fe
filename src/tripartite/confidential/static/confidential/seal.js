/* Seal a confidential message in the browser before it is sent.
 *
 * The message (kind, about, message, contact) becomes the same padded JSON the server
 * would make (confidential/sealing.py), is sealed to every active recipient key with
 * libsodium's sealed box (tweetnacl + tweetnacl-sealedbox-js, vendored), and only the
 * sealed copies are posted, in a new form that holds nothing else but the CSRF token.
 * Without JavaScript the page's own form posts the words and the server seals them.
 */
(function () {
  "use strict";
  var form = document.getElementById("confidential-form");
  var keysElement = document.getElementById("recipient-keys");
  var bucketsElement = document.getElementById("size-buckets");
  if (!form || !keysElement || !bucketsElement || !window.nacl || !window.sealedBox ||
      !window.TextEncoder) {
    return; // the form still works: the server seals
  }
  var recipients = JSON.parse(keysElement.textContent);
  var buckets = JSON.parse(bucketsElement.textContent);
  var errorBox = document.getElementById("sealing-error");
  var mode = document.getElementById("sealing-mode");
  if (mode) {
    mode.hidden = false;
  }

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function toBase64(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value : "";
  }

  function padded(raw) {
    for (var i = 0; i < buckets.length; i++) {
      if (raw.length <= buckets[i]) {
        var out = new Uint8Array(buckets[i]);
        out.fill(0x20);
        out.set(raw);
        return out;
      }
    }
    return null;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = JSON.stringify({
      format: "tripartite-concern/1",
      kind: value("kind"),
      about: value("about").trim(),
      message: value("message").trim(),
      contact: value("contact").trim()
    });
    var plain = padded(new TextEncoder().encode(message));
    if (plain === null) {
      errorBox.textContent = errorBox.dataset.tooLong || "The message is too long to be sealed.";
      errorBox.hidden = false;
      return;
    }
    var copies = {};
    recipients.forEach(function (recipient) {
      copies[recipient.id] = toBase64(window.sealedBox.seal(plain, fromBase64(recipient.public_key)));
    });
    plain.fill(0);
    var sealed = document.createElement("form");
    sealed.method = "post";
    sealed.action = form.action;
    sealed.hidden = true;
    [["csrfmiddlewaretoken", value("csrfmiddlewaretoken")],
     ["sealed_bundle", JSON.stringify({copies: copies})]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      sealed.appendChild(input);
    });
    document.body.appendChild(sealed);
    sealed.submit();
  });
})();
