/* Small helpers; every page works without them. */
(function () {
  "use strict";

  // Video: YouTube's privacy-enhanced (no-cookie) player, loaded only when
  // the visitor presses play. Until then nothing is asked of YouTube.
  function setUpVideo(frame) {
    var link = frame.querySelector("a");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var iframe = document.createElement("iframe");
      iframe.src = "https://www.youtube-nocookie.com/embed/" +
        encodeURIComponent(frame.getAttribute("data-video-id")) + "?autoplay=1&rel=0";
      iframe.title = frame.getAttribute("data-video-title");
      iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      iframe.allowFullscreen = true;
      iframe.referrerPolicy = "strict-origin-when-cross-origin";
      frame.replaceChildren(iframe);
      iframe.focus();
    });
  }

  // Checklist: a print button (printing works from the browser menu too).
  function setUpPrint(wrapper) {
    wrapper.hidden = false;
    wrapper.querySelector("button").addEventListener("click", function () { window.print(); });
  }

  // Search: Pagefind's index, loaded only on the search page. The form is a
  // plain GET form (?q=); with JavaScript it shows results on the same page,
  // announces their number in a status message, and leaves focus in the box.
  function setUpSearch(form) {
    var input = form.querySelector("input");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    // Resolve against the page: a relative address would resolve against this script.
    var index = new URL(form.getAttribute("data-pagefind-ui"), document.baseURI);
    var pagefind;
    var latest = 0;

    function say(name, query, count) {
      return (form.getAttribute("data-text-" + name) || "")
        .replace("{query}", query).replace("{count}", count);
    }

    function text(tag, value) {
      var element = document.createElement(tag);
      element.textContent = value;
      return element;
    }

    async function load() {
      if (!pagefind) {
        pagefind = await import(new URL("pagefind.js", index).href);
        // Result addresses start at the site's root, wherever the site lives.
        await pagefind.options({ baseUrl: new URL("..", index).pathname });
      }
      return pagefind;
    }

    async function run(query) {
      var mine = ++latest;
      query = query.trim();
      if (!query) { results.replaceChildren(); status.textContent = ""; return; }
      status.textContent = say("searching", query, 0);
      var pages;
      try {
        var engine = await load();
        var found = await engine.search(query);
        pages = await Promise.all(found.results.map(function (r) { return r.data(); }));
      } catch (error) {
        if (mine === latest) { results.replaceChildren(); status.textContent = say("error", query, 0); }
        return;
      }
      if (mine !== latest) { return; } // a newer search has started
      var summary = pages.length === 0 ? say("none", query, 0)
        : say(pages.length === 1 ? "one" : "many", query, pages.length);
      var heading = text("h2", summary);
      heading.id = "search-results-heading";
      var list = document.createElement("ol");
      list.setAttribute("aria-labelledby", heading.id);
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
      status.textContent = summary;
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
    document.querySelectorAll("[data-video-id]").forEach(setUpVideo);
    document.querySelectorAll(".app-print-action").forEach(setUpPrint);
    document.querySelectorAll("form[data-pagefind-ui]").forEach(setUpSearch);
  });
})();
