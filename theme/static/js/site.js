/* Small helpers; every page works without them. */
(function () {
  "use strict";

  // FAQ: open the question named in the address (#does-it-hurt).
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }
  window.addEventListener("hashchange", openFromHash);

  // Video: load YouTube's no-cookie player only when the visitor asks.
  function setUpVideo(frame) {
    var link = frame.querySelector("a");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var iframe = document.createElement("iframe");
      iframe.src = link.href + "?autoplay=1";
      iframe.title = frame.getAttribute("data-video-title");
      iframe.allow = "autoplay; encrypted-media; picture-in-picture";
      iframe.allowFullscreen = true;
      frame.replaceChildren(iframe);
      iframe.focus();
    });
  }

  // Checklist: a print button (printing works from the browser menu too).
  function setUpPrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  // Search: Pagefind's index, loaded only on the search page.
  function setUpSearch(form) {
    var input = form.querySelector("input");
    var results = document.getElementById("search-results");
    var base = form.getAttribute("data-pagefind-ui");
    var pagefind;

    function text(tag, value) {
      var element = document.createElement(tag);
      element.textContent = value;
      return element;
    }

    async function run(query) {
      if (!query.trim()) { results.replaceChildren(); return; }
      pagefind = pagefind || await import(base + "pagefind.js");
      var found = await pagefind.search(query);
      var pages = await Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }));
      var heading = text("h2", pages.length + (pages.length === 1 ? " result" : " results") + " for “" + query + "”");
      var list = document.createElement("ol");
      pages.forEach(function (page) {
        var item = document.createElement("li");
        var link = text("a", page.meta.title || page.url);
        link.href = page.url;
        var heading3 = document.createElement("h3");
        heading3.appendChild(link);
        var excerpt = document.createElement("p");
        excerpt.innerHTML = page.excerpt; // Pagefind escapes page text; only <mark> is added
        item.append(heading3, excerpt);
        list.appendChild(item);
      });
      results.replaceChildren(heading, list);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      run(input.value);
    });
    var query = new URLSearchParams(location.search).get("q");
    if (query) {
      input.value = query;
      run(query);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    openFromHash();
    document.querySelectorAll("[data-video-id]").forEach(setUpVideo);
    document.querySelectorAll(".app-print-button").forEach(setUpPrint);
    document.querySelectorAll("form[data-pagefind-ui]").forEach(setUpSearch);
  });
})();
