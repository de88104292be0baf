// Small browser helpers for the portal shell. Kept tiny on purpose: everything else is server-side Blazor.
window.portal = (function () {
    let idleTimer = null;
    let idleHandler = null;
    const events = ["mousemove", "mousedown", "keydown", "scroll", "touchstart", "wheel"];

    return {
        getDarkMode: function () {
            const stored = localStorage.getItem("mp.dark");
            if (stored !== null) { return stored === "1"; }
            return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
        },
        setDarkMode: function (dark) { localStorage.setItem("mp.dark", dark ? "1" : "0"); },
        // Idle sign-out (R7): a Blazor circuit makes no HTTP requests, so the cookie's sliding expiry alone cannot
        // see that the person left. After `seconds` without input the browser posts the layout's sign-out form.
        startIdleWatch: function (seconds, formId) {
            const reset = function () {
                if (idleTimer) { clearTimeout(idleTimer); }
                idleTimer = setTimeout(function () {
                    // The layout's hidden form carries the antiforgery token; without it, just show the login page.
                    const form = document.getElementById(formId);
                    if (form) { form.submit(); } else { window.location.href = "/Account/Login?idle=true"; }
                }, seconds * 1000);
            };
            if (idleHandler) { events.forEach(e => window.removeEventListener(e, idleHandler)); }
            idleHandler = reset;
            events.forEach(e => window.addEventListener(e, idleHandler, { passive: true }));
            reset();
        },
        stopIdleWatch: function () {
            if (idleTimer) { clearTimeout(idleTimer); idleTimer = null; }
            if (idleHandler) { events.forEach(e => window.removeEventListener(e, idleHandler)); idleHandler = null; }
        },
        markInteractive: function () { document.body.dataset.interactive = "1"; },
        copyText: function (text) { return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.resolve(); },
        download: function (url) { window.location.href = url; },
        // Waybill labels: load the inline PDF in a hidden frame and open the browser's print dialog for it.
        printPdf: function (url) {
            const frame = document.createElement("iframe");
            frame.style.cssText = "position:fixed;width:0;height:0;border:0;";
            frame.onload = function () {
                try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.open(url, "_blank"); }
            };
            frame.src = url;
            document.body.appendChild(frame);
        }
    };
})();

// Drop-down menus that are plain <details class="lean-menu"> (Components/Lean, P9): like a menu, a click elsewhere, a
// click on one of its links or Escape closes them. Delegated on the document, so menus Blazor adds later work too.
(function () {
    function closeMenus(except) {
        document.querySelectorAll("details.lean-menu[open]").forEach(function (menu) {
            if (menu !== except) { menu.removeAttribute("open"); }
        });
    }
    document.addEventListener("click", function (e) {
        const menu = e.target.closest ? e.target.closest("details.lean-menu") : null;
        closeMenus(menu);
        if (menu && e.target.closest("a, button.lean-menu-item")) { menu.removeAttribute("open"); }
    });
    document.addEventListener("keydown", function (e) {
        if (e.key === "Escape") { closeMenus(null); }
    });
})();
