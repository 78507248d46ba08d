/*
 * Failures of htmx requests, shown in place and in Dutch.
 *
 * The htmx configuration (templates/base.html) swaps 400/409/422 responses: those are
 * the form again, with its errors or with what changed meanwhile. Every other failure
 * is not swapped, so what the user typed stays in the form, and this script puts a
 * message next to it: in a row below the table row of the form that sent the request,
 * at the top of that form, or before the element that sent it. The text comes from the response when it carries an element
 * with `data-request-error` (the app's error pages, a refused upload), otherwise from
 * the status. A later successful response to the same form removes the message.
 *
 * Loaded as a file of the app itself (CSP script-src 'self' + nonce): no inline code,
 * no inline styles; the message is built with DOM methods, never from server HTML.
 */
(function () {
  "use strict";

  var MESSAGES = {
    invalid: "De invoer is niet geldig. Controleer het formulier en probeer het opnieuw.",
    forbidden:
      "Dit mag u niet (meer), of u bent uitgelogd. Vernieuw de pagina of log opnieuw in; uw invoer is niet opgeslagen.",
    notFound: "Dit onderdeel bestaat niet meer. Vernieuw de pagina.",
    conflict:
      "Iemand anders heeft dit intussen gewijzigd. Uw invoer is niet opgeslagen; vernieuw de pagina om de nieuwe stand te zien.",
    tooMany: "Te veel verzoeken achter elkaar. Wacht even en probeer het dan opnieuw.",
    busy: "De server is even bezet. Uw invoer is niet opgeslagen; probeer het over een paar seconden opnieuw.",
    server:
      "Er ging iets mis op de server. Uw invoer is niet opgeslagen; probeer het opnieuw. Blijft het misgaan, meld het dan bij de beheerder.",
    refused: "Het verzoek is geweigerd. Uw invoer is niet opgeslagen; vernieuw de pagina en probeer het opnieuw.",
    offline:
      "Geen verbinding met de server. Uw invoer is niet opgeslagen; controleer de verbinding en probeer het opnieuw.",
    timeout:
      "De server antwoordt niet op tijd. Misschien is uw invoer niet opgeslagen; vernieuw de pagina om dat na te gaan.",
  };

  function messageForStatus(status) {
    if (status === 400 || status === 422) return MESSAGES.invalid;
    if (status === 401 || status === 403) return MESSAGES.forbidden;
    if (status === 404 || status === 410) return MESSAGES.notFound;
    if (status === 409) return MESSAGES.conflict;
    if (status === 429) return MESSAGES.tooMany;
    if (status === 503) return MESSAGES.busy;
    if (status >= 500) return MESSAGES.server;
    return MESSAGES.refused;
  }

  /* The Dutch text a response states for itself, if any. */
  function messageFromResponse(xhr) {
    var text = xhr && typeof xhr.responseText === "string" ? xhr.responseText : "";
    if (text.indexOf("data-request-error") === -1) return "";
    var doc = new DOMParser().parseFromString(text, "text/html");
    var node = doc.querySelector("[data-request-error]");
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* The element that sent the request (htmx events name the element they are fired on,
     for a swap that is the target). */
  function sourceOf(detail) {
    return (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
  }

  /* Where the message goes: the form that sent the request, else the element itself. */
  function anchorOf(elt) {
    if (!elt || !elt.isConnected) return null;
    return (elt.closest && elt.closest("form")) || elt;
  }

  function makeAlert() {
    var box = document.createElement("div");
    box.className = "utrecht-alert utrecht-alert--error app-request-error";
    box.setAttribute("role", "alert");
    var content = document.createElement("div");
    content.className = "utrecht-alert__content";
    var paragraph = document.createElement("p");
    paragraph.className = "utrecht-alert__message utrecht-paragraph";
    content.appendChild(paragraph);
    box.appendChild(content);
    return box;
  }

  /* The message's place: a row of its own below a table row (a form in a cell is too
     narrow), the top of a form, or just before any other element. Found again by the
     element's id, also after htmx replaced that element with a fresh copy. */
  function slotOf(anchor) {
    var row = anchor.closest("tr");
    if (row) {
      var next = row.nextElementSibling;
      var found = next && next.classList.contains("app-request-error-row") &&
        (next.requestErrorFor === row || (row.id && next.dataset.requestErrorFor === row.id));
      return { found: found ? next : null, row: row };
    }
    var container = anchor.tagName === "FORM" ? anchor : anchor.parentNode;
    var children = container ? container.children : [];
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child.classList.contains("app-request-error") &&
          (child.requestErrorFor === anchor || (anchor.id && child.dataset.requestErrorFor === anchor.id))) {
        return { found: child };
      }
    }
    return { found: null };
  }

  function show(elt, message) {
    var anchor = anchorOf(elt);
    if (!anchor) return;
    var slot = slotOf(anchor);
    var holder = slot.found;
    if (!holder) {
      var box = makeAlert();
      if (slot.row) {
        holder = document.createElement("tr");
        holder.className = "app-request-error-row";
        var cell = document.createElement("td");
        cell.colSpan = Math.max(slot.row.cells.length, 1);
        cell.appendChild(box);
        holder.appendChild(cell);
        holder.requestErrorFor = slot.row;
        holder.dataset.requestErrorFor = slot.row.id || "";
        slot.row.parentNode.insertBefore(holder, slot.row.nextSibling);
      } else {
        holder = box;
        holder.requestErrorFor = anchor;
        holder.dataset.requestErrorFor = anchor.id || "";
        if (anchor.tagName === "FORM") {
          anchor.insertBefore(holder, anchor.firstChild);
        } else {
          anchor.parentNode.insertBefore(holder, anchor);
        }
      }
    }
    holder.querySelector("p").textContent = message;
  }

  function clear(elt) {
    var anchor = anchorOf(elt);
    var holder = anchor && slotOf(anchor).found;
    if (holder) holder.remove();
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr ? detail.xhr.status : 0;
    if (status < 400) {
      clear(sourceOf(detail)); // it worked (this time): an earlier message is out of date
      return;
    }
    var own = messageFromResponse(detail.xhr);
    // A swapped 400/409/422 is the form with its errors; a whole error page is not.
    if (detail.shouldSwap && !(own && /data-error-page/.test(detail.xhr.responseText))) return;
    detail.shouldSwap = false;
    show(sourceOf(detail), own || messageForStatus(status));
  });

  document.addEventListener("htmx:sendError", function (event) {
    show(sourceOf(event.detail), MESSAGES.offline);
  });

  document.addEventListener("htmx:timeout", function (event) {
    show(sourceOf(event.detail), MESSAGES.timeout);
  });

})();
