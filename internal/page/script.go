package page

// script plays the run. State: cur, the index of the current step in
// steps (-1 before the first), and t, the time shown. Everything shown is
// computed from the chart at t.
const script = `
"use strict";
var D = JSON.parse(document.getElementById("data").textContent);
var C = D.Chart, G = D.Geom;
var steps = C.Steps || [], spans = C.Spans || [], links = C.Links || [], waits = C.Waits || [], marks = C.Marks || [];
var end = C.End > 0 ? C.End : 1;
var cur = -1, t = 0, timer = null, selLink = -1;
var $ = function (id) { return document.getElementById(id); };
var svg = document.querySelector("#chart svg");
var NS = "http://www.w3.org/2000/svg";

function fmt(d) {
  if (d === 0) return "0";
  if (d >= 1e9) return (d / 1e9).toPrecision(4) + "s";
  if (d >= 1e6) return (d / 1e6).toPrecision(4) + "ms";
  if (d >= 1e3) return (d / 1e3).toPrecision(4) + "µs";
  return d + "ns";
}
// line is a step as shown: its time, unless the text (an event's own
// String, "#4 1.2s …") already starts with it.
function line(s) { return s.Text.charAt(0) === "#" ? s.Text : fmt(s.At) + "  " + s.Text; }
function xOf(at) { return G.X0 + at / end * G.W; }
var cursor = document.createElementNS(NS, "line");
cursor.setAttribute("stroke", "#2962ff");
cursor.setAttribute("stroke-width", "2");
cursor.setAttribute("y1", G.Top - 6);
cursor.setAttribute("y2", G.Top + C.Lanes.length * (G.LaneH + G.Gap));
svg.appendChild(cursor);

function li(text, color, cls) {
  var e = document.createElement("li");
  if (color) {
    var s = document.createElement("span");
    s.className = "swatch";
    s.style.background = color;
    e.appendChild(s);
  }
  e.appendChild(document.createTextNode(text));
  if (cls) e.className = cls;
  return e;
}
function fill(id, items) {
  var ul = $(id);
  ul.textContent = "";
  items.forEach(function (x) { ul.appendChild(x); });
  if (items.length === 0) ul.appendChild(li("nobody", null, "none"));
}
// covers reports whether interval [from, to] holds the moment at: an
// interval that begins at at counts, one that ends at at does not (unless
// it is empty, an instant).
function covers(from, to, at) { return from <= at && (at < to || (from === to && at === from) || (to === end && at === end)); }

function render() {
  cursor.setAttribute("x1", xOf(t));
  cursor.setAttribute("x2", xOf(t));
  $("slider").value = Math.round(t / end * 1000);
  $("clock").textContent = "t = " + fmt(t) + (cur >= 0 ? "  step " + (cur + 1) + "/" + steps.length : "  start");
  $("narration").textContent = cur >= 0 ? line(steps[cur]) : "(before the first event: press step or play)";
  // By state: the queues.
  var by = C.States.map(function () { return []; }), holds = [];
  spans.forEach(function (s) {
    if (!covers(s.From, s.To, t)) return;
    if (s.Holders && s.Holders.length) {
      holds.push(li(C.Lanes[s.Lane] + " is held by " + s.Holders.map(function (h) { return C.Lanes[h]; }).join(", "), C.States[s.State].Color));
    } else {
      by[s.State].push(C.Lanes[s.Lane]);
    }
  });
  var states = [];
  by.forEach(function (names, i) {
    if (names.length) states.push(li(C.States[i].Name + ": " + names.join(" "), C.States[i].Color));
  });
  fill("states", states);
  fill("holds", holds);
  var ws = [];
  waits.forEach(function (w) {
    if (w.From <= t && (t < w.To || w.Open)) {
      ws.push(li(C.Lanes[w.Waiter] + " waits for " + C.Lanes[w.On] + (w.Label ? " (" + w.Label + ")" : "") + " since " + fmt(w.From), "#5e35b1"));
    }
  });
  fill("waits", ws);
  var ms = [];
  marks.forEach(function (m) {
    if (m.At <= t) ms.push(li(fmt(m.At) + " " + m.Kind + ": " + m.Label, "#d50000", "mark"));
  });
  fill("marks", ms);
  var log = $("log");
  log.textContent = "";
  for (var i = Math.max(0, cur - 30); i <= cur; i++) {
    var d = document.createElement("div");
    d.textContent = line(steps[i]);
    log.appendChild(d);
  }
  log.scrollTop = log.scrollHeight;
  if (cur >= 0 && steps[cur].Link) select(steps[cur].Link - 1);
}

// select highlights firing k and the messages it took: on each lane it
// joined, the interval that ended when it fired (the sender blocked, queued)
// and the one it began.
function select(k) {
  selLink = k;
  document.querySelectorAll("#chart .firing.sel").forEach(function (g) { g.classList.remove("sel"); });
  document.querySelectorAll("#chart rect.took").forEach(function (r) { r.classList.remove("took"); });
  if (k < 0 || k >= links.length) { $("firing").textContent = ""; return; }
  var l = links[k];
  var g = document.querySelector('#chart .firing[data-link="' + k + '"]');
  if (g) g.classList.add("sel");
  var took = [];
  spans.forEach(function (s, i) {
    if (l.Lanes.indexOf(s.Lane) < 0 || s.To !== l.At || s.From === s.To) return;
    var r = document.querySelector('#chart rect[data-span="' + i + '"]');
    if (r) r.classList.add("took");
    took.push(C.Lanes[s.Lane] + " (" + C.States[s.State].Name + " since " + fmt(s.From) + ")");
  });
  $("firing").textContent = "Firing at " + fmt(l.At) + ": " + l.Label + ". It took at once from: " +
    l.Lanes.map(function (x) { return C.Lanes[x]; }).join(", ") + (took.length ? ". Released: " + took.join("; ") : "") + ".";
}

function go(i) {
  cur = Math.max(-1, Math.min(steps.length - 1, i));
  t = cur >= 0 ? steps[cur].At : 0;
  render();
}
function next() { go(cur + 1); }
function nextFiring() {
  for (var i = cur + 1; i < steps.length; i++) if (steps[i].Link) { go(i); return; }
  // No narrated firing: jump to the next link's time.
  for (var k = 0; k < links.length; k++) if (links[k].At > t) { seek(links[k].At); select(k); return; }
}
function seek(at) {
  t = Math.max(0, Math.min(end, at));
  cur = -1;
  while (cur + 1 < steps.length && steps[cur + 1].At <= t) cur++;
  render();
}
function play() {
  if (timer) { clearInterval(timer); timer = null; $("play").innerHTML = "&#9654; play"; return; }
  $("play").innerHTML = "&#10074;&#10074; pause";
  timer = setInterval(function () {
    if (cur + 1 >= steps.length) { seek(end); play(); return; }
    next();
  }, 400);
}
$("next").onclick = next;
$("back").onclick = function () { go(cur - 1); };
$("nextfiring").onclick = nextFiring;
$("play").onclick = play;
$("slider").oninput = function () { seek(this.value / 1000 * end); };
document.querySelectorAll("#chart .firing").forEach(function (g) {
  g.addEventListener("click", function () { var k = +g.getAttribute("data-link"); seek(links[k].At); select(k); });
});
document.addEventListener("keydown", function (e) {
  if (e.key === "ArrowRight") next();
  else if (e.key === "ArrowLeft") go(cur - 1);
  else if (e.key === " ") { e.preventDefault(); play(); }
});
render();
if (location.hash === "#end") seek(end);
var m = /^#step=(\d+)$/.exec(location.hash);
if (m) go(+m[1] - 1);

// The self-test: step, fire, seek, click, and report what was shown.
if (location.hash === "#selftest") {
  var out = [], ok = true;
  var shown = function () { return $("narration").textContent + "|" + $("states").textContent + "|" + $("holds").textContent + "|" + $("waits").textContent; };
  var check = function (name, cond) { out.push((cond ? "ok " : "FAIL ") + name); ok = ok && cond; };
  var s0 = shown();
  next();
  var s1 = shown();
  check("step shows the first event", cur === 0 && s1 !== s0 && $("narration").textContent.indexOf(steps[0].Text) >= 0);
  next();
  check("the next step changes what is shown", cur === 1 && shown() !== s1);
  if (links.length) {
    nextFiring();
    check("next firing lands on a firing", selLink >= 0 && Math.abs(t - links[selLink].At) < 1 && document.querySelectorAll("#chart .firing.sel").length === 1);
    // The last firing that released more than one lane.
    var k = links.length - 1;
    while (k > 0 && links[k].Lanes.length < 2) k--;
    var g = document.querySelector('#chart .firing[data-link="' + k + '"]');
    g.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    check("clicking a firing highlights it and the messages it took", selLink === k &&
      document.querySelectorAll("#chart rect.took").length > 0 && $("firing").textContent.indexOf("took at once") >= 0);
  }
  $("slider").value = 1000;
  $("slider").dispatchEvent(new Event("input"));
  check("the slider at the end shows the end", t === end && cur === steps.length - 1);
  check("marks shown at the end", $("marks").querySelectorAll("li.mark").length === marks.length);
  $("slider").value = 0;
  $("slider").dispatchEvent(new Event("input"));
  check("the slider at 0 goes back", t === 0);
  out.push("steps " + steps.length + " links " + links.length + " waits " + waits.length + " marks " + marks.length);
  // Play: the timer advances the steps by itself; pause stops it.
  go(-1);
  play();
  setTimeout(function () {
    var played = cur;
    play();
    check("play advances the steps by itself", played >= Math.min(2, steps.length - 1) && timer === null);
    var st = $("selftest");
    st.hidden = false;
    st.textContent = (ok ? "SELFTEST PASS\n" : "SELFTEST FAIL\n") + out.join("\n");
  }, 1300);
}
`
