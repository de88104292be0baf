// The packing station (/pack): a USB barcode scanner is a keyboard (it types the code, then Enter, fast), so the page
// keeps one input focused, reads it here on Enter (no round trip per character) and hands the whole code to the server.
// Sounds are Web Audio oscillators (no files); the scale is read through Web Serial where the browser has it.

let audio = null;

function tone(ctx, frequency, start, duration, type) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = type;
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
    gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + duration);
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + start);
    osc.stop(ctx.currentTime + start + duration + 0.02);
}

// kind: "ok" (one short high beep), "error" (two low buzzes), "done" (a rising pair). The last kind is kept on the
// body (data-pack-sound) so a test can tell which sound was asked for.
export function beep(kind) {
    document.body.dataset.packSound = kind;
    document.body.dataset.packSounds = String(Number(document.body.dataset.packSounds || "0") + 1);
    try {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        if (audio.state === "suspended") { audio.resume(); }
        if (kind === "error") {
            tone(audio, 220, 0, 0.16, "square");
            tone(audio, 180, 0.2, 0.22, "square");
        } else if (kind === "done") {
            tone(audio, 660, 0, 0.12, "sine");
            tone(audio, 990, 0.14, 0.18, "sine");
        } else {
            tone(audio, 1200, 0, 0.07, "sine");
        }
    } catch (e) {
        // No audio device: the banner still says it.
    }
}

// Enter in `input` sends its text to the server (`method`); `clear` empties it first so the next scan starts clean.
// With `withSource`, the second argument says whether the value came from the scale or was typed.
export function attach(input, dotnet, method, clear, withSource) {
    if (!input || input.dataset.packAttached) { return; }
    input.dataset.packAttached = "1";
    input.addEventListener("input", function () { input.dataset.source = "typed"; });
    input.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") { return; }
        e.preventDefault();
        const value = input.value;
        if (clear) { input.value = ""; }
        if (withSource) {
            dotnet.invokeMethodAsync(method, value, input.dataset.source || "typed");
        } else {
            dotnet.invokeMethodAsync(method, value);
        }
    });
}

// Blazor Server may run a render's after-render step before the browser has applied the next render, so the input
// the station now waits on (the weight, once every item is verified) can appear a moment after we are asked for it:
// look for it again for up to two seconds rather than act on the page as it was.
function whenReady(container, testid, action) {
    let tries = 0;
    (function step() {
        const el = container ? container.querySelector("[data-testid='" + testid + "'][data-pack-focus='1']") : null;
        if (el) { action(el); return; }
        if (++tries < 100) { setTimeout(step, 20); }
    })();
}

// attach() for an input that may not be on the page yet.
export function attachWhenReady(container, testid, dotnet, method, clear, withSource) {
    whenReady(container, testid, function (el) { attach(el, dotnet, method, clear, withSource); });
}

// Focuses the input the station waits on (`testid`), once it is on the page and marked as the one to focus.
export function focusWanted(container, testid) {
    whenReady(container, testid, function (el) {
        if (document.activeElement !== el) { el.focus(); }
        if (el.select && el.dataset.packSelect === "1") { el.select(); }
    });
}

function current(container) {
    return container ? container.querySelector("[data-pack-focus='1']") : null;
}

export function focusCurrent(container) {
    const el = current(container);
    if (el && document.activeElement !== el) { el.focus(); }
    if (el && el.select && el.dataset.packSelect === "1") { el.select(); }
}

// One hand on the mouse: after a click on anything that is not a text field (a button, the table, the page), focus
// goes back to the input the station is waiting on.
export function keepFocus(container) {
    if (!container || container.dataset.packKeepFocus) { return; }
    container.dataset.packKeepFocus = "1";
    document.addEventListener("click", function () {
        setTimeout(function () {
            const a = document.activeElement;
            if (a && a.matches && a.matches("input, textarea, select, [contenteditable='true']")) { return; }
            if (document.querySelector(".mud-popover-open, .mud-overlay")) { return; }
            focusCurrent(container);
        }, 0);
    });
}

export function setValue(input, value, source) {
    if (!input) { return; }
    input.value = value;
    input.dataset.source = source;
}

export function getValue(input) {
    return input ? [input.value, input.dataset.source || "typed"] : ["", "typed"];
}

export function getStation() { return localStorage.getItem("mp.pack.station") || ""; }

export function setStation(name) { localStorage.setItem("mp.pack.station", name || ""); }

export function serialSupported() { return "serial" in navigator; }

// Asks the browser for the scale's serial port (the browser shows its own chooser) and sends each line the scale
// prints to the server (`OnScaleLine`), which reads the weight out of it. Common scales: 9600 baud, 8N1.
export async function connectScale(dotnet, baudRate) {
    if (!("serial" in navigator)) { return false; }
    const port = await navigator.serial.requestPort();
    await port.open({ baudRate: baudRate || 9600 });
    const reader = port.readable.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let last = "";
    (async function () {
        try {
            for (;;) {
                const { value, done } = await reader.read();
                if (done) { break; }
                buffer += value;
                const lines = buffer.split(/\r?\n|\r/);
                buffer = lines.pop();
                // A scale prints many lines a second; only a changed reading goes to the server.
                const line = lines.filter(function (l) { return l.trim().length > 0; }).pop();
                if (line && line !== last) {
                    last = line;
                    await dotnet.invokeMethodAsync("OnScaleLine", line);
                }
            }
        } catch (e) {
            await dotnet.invokeMethodAsync("OnScaleLost", String(e && e.message || e));
        }
    })();
    return true;
}
