// The job page's log: follows new lines while the reader is at the bottom, pauses when they scroll up.
window.agentMeshLog = {
  attach(element) {
    element.dataset.follow = "true";
    element.addEventListener("scroll", () => {
      element.dataset.follow = String(element.scrollTop + element.clientHeight >= element.scrollHeight - 16);
    });
  },
  scrollIfFollowing(element) {
    if (element && element.dataset.follow !== "false") {
      element.scrollTop = element.scrollHeight;
    }
    return element ? element.dataset.follow !== "false" : true;
  },
};
