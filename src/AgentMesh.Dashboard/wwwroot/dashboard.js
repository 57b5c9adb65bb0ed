// The job page's log: follows new lines while the reader is at the bottom, pauses when they scroll up or search.
// The browser does the following by itself (a MutationObserver), so a batch of lines costs the node one render
// and no round trip per open page.
window.agentMeshLog = {
  attach(element) {
    if (!element || element.dataset.follow) {
      return;
    }
    element.dataset.follow = "true";
    element.addEventListener("scroll", () => {
      element.dataset.follow = String(element.scrollTop + element.clientHeight >= element.scrollHeight - 16);
    });
    new MutationObserver(() => {
      if (element.dataset.follow !== "false" && element.dataset.searching !== "true") {
        element.scrollTop = element.scrollHeight;
      }
    }).observe(element, { childList: true, subtree: true });
    element.scrollTop = element.scrollHeight;
  },
};
