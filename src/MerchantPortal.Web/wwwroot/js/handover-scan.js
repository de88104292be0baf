// The handover page's scan input, made for a keyboard-wedge scanner: the scanner types the number and Enter. Enter
// sends the code to the server (the circuit), the field is emptied and keeps the focus, and a refused scan plays a
// short error tone. The tone is a Web Audio oscillator: no sound file, and it works offline.
let audio = null;

// Browsers start audio only after a user gesture: the keydown of the scan is one, so the context is made or resumed there.
function wakeAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return null; }
    if (!audio) { audio = new Context(); }
    if (audio.state === "suspended") { audio.resume(); }
    return audio;
}

// Two short low square-wave beeps: unlike any confirmation sound, heard over a loading dock.
export function errorTone() {
    const context = wakeAudio();
    document.dispatchEvent(new CustomEvent("handover-error-tone"));
    if (!context) { return; }
    const start = context.currentTime;
    [0, 0.18].forEach(offset => {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = "square";
        oscillator.frequency.value = 330;
        gain.gain.setValueAtTime(0.15, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.14);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.15);
    });
}

// Wires the input to the component (a DotNetObjectReference with [JSInvokable] ScanAsync(code) → "Accepted" or the
// flag). A click on empty page space gives the focus back to the field; a click into another field or a button does not.
export function attach(input, component) {
    if (!input || input.dataset.scanAttached) { return; }
    input.dataset.scanAttached = "1";
    input.addEventListener("keydown", event => {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        const code = input.value.trim();
        input.value = "";
        if (!code) { return; }
        wakeAudio();
        component.invokeMethodAsync("ScanAsync", code).then(outcome => {
            if (outcome && outcome !== "Accepted") { errorTone(); }
        }).finally(() => input.focus());
    });
    input.addEventListener("blur", () => {
        setTimeout(() => {
            const active = document.activeElement;
            const elsewhere = active && active !== document.body && active.matches("input, textarea, select, button, a, [tabindex]");
            if (!elsewhere && document.body.contains(input)) { input.focus(); }
        }, 0);
    });
    input.focus();
}
