using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Foundation;

/// <summary>
/// A portal with the real demo run (small), so every page has what a newcomer sees: batches, returns, cases, freight
/// bills. Its own browser and collection, so the walk runs beside the other browser tests.
/// </summary>
public sealed class PageWalkPortal : IAsyncLifetime
{
    public const string Name = "page walk";

    private IPlaywright? playwright;

    public PortalFactory Factory { get; } = new(overrides: new Dictionary<string, string?>
    {
        ["DemoData:Mode"] = "Run",
        ["DemoData:Orders"] = "80",
        ["DemoData:Days"] = "5",
    });

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Every route of the app, its parameters filled from the demo data.</summary>
    public IReadOnlyDictionary<string, string> Paths { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        Factory.Start();
        var progress = Factory.GetService<DemoRunProgress>();
        await progress.Finished.WaitAsync(TimeSpan.FromMinutes(4));
        Assert.True(progress.State == DemoRunState.Completed, $"The demo run ended {progress.State}: {progress.Failure}");
        Paths = await FillParametersAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MP_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = BrowserPortal.ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await Factory.DisposeAsync();
    }

    /// <summary>The route templates with a parameter, each given a real row of the demo run.</summary>
    private async Task<Dictionary<string, string>> FillParametersAsync()
    {
        await using var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var order = await db.Set<Web.Features.Orders.Order>().AsNoTracking()
            .Where(o => o.Status == Web.Features.Orders.OrderStatus.Delivered).OrderBy(o => o.Id).Select(o => o.OrderNo).FirstAsync();
        var shipment = await db.Set<Web.Features.Tracking.Shipment>().AsNoTracking()
            .Where(s => s.Status == MerchantPortal.Carriers.ShipmentStatus.Delivered).OrderBy(s => s.Id).Select(s => s.TrackingNo).FirstAsync();
        var batch = await db.Set<Web.Features.Waybills.WaybillBatch>().AsNoTracking().OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        var returned = await db.Set<Web.Features.Returns.ReturnRequest>().AsNoTracking().OrderByDescending(r => r.Status).ThenBy(r => r.Id).Select(r => r.Id).FirstAsync();
        var exception = await db.Set<Web.Features.Monitoring.ExceptionCase>().AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        var bill = await db.Set<Web.Features.Kpis.Freight.FreightBill>().AsNoTracking().OrderBy(b => b.Id).Select(b => b.Id).FirstAsync();
        return new Dictionary<string, string>
        {
            ["/orders/{OrderNo}"] = "/orders/" + Uri.EscapeDataString(order),
            ["/shipments/{TrackingNo}"] = "/shipments/" + Uri.EscapeDataString(shipment),
            ["/waybills/{Id:long}"] = $"/waybills/{batch}",
            ["/returns/{Id:long}"] = $"/returns/{returned}",
            ["/exceptions/{Id:long}"] = $"/exceptions/{exception}",
            ["/kpis/freight/bills/{Id:long}"] = $"/kpis/freight/bills/{bill}",
        };
    }
}

[CollectionDefinition(PageWalkPortal.Name)]
public sealed class PageWalkCollection : ICollectionFixture<PageWalkPortal>;

/// <summary>Who may open a page: nobody signed in, any role, Ops and Admin, or Admin.</summary>
public enum PageAccess
{
    Anonymous,
    SignedIn,
    Operations,
    Admin,
}

/// <summary>A routable page of the portal: its template and who may open it, read from its attributes.</summary>
public sealed partial record PortalRoute(string Template, PageAccess Access)
{
    /// <summary>
    /// Routes the walk does not visit, each with why: they need a state a plain visit cannot have (a sign-in halfway
    /// through two-factor, an invitation token, an authenticator being set up) or answer only as redirects.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotWalked = new Dictionary<string, string>
    {
        ["/Account/LoginWith2fa"] = "only reachable halfway through a two-factor sign-in; redirects to the login page otherwise",
        ["/Account/LoginWithRecoveryCode"] = "only reachable halfway through a two-factor sign-in; redirects to the login page otherwise",
        ["/Account/Manage/Disable2fa"] = "only for a user with two-factor on; redirects otherwise",
        ["/Account/Manage/ResetAuthenticator"] = "a confirmation step of the two-factor pages; its form resets the key",
        ["/Account/Manage/EnableAuthenticator"] = "visiting it creates an authenticator key for the user",
        ["/Account/Manage/GenerateRecoveryCodes"] = "only for a user with two-factor on; redirects otherwise",
        ["/Account/AcceptInvite"] = "needs an invitation token (UserInvitationTests walks it with a real one)",
        ["/Account/InvalidUser"] = "an error landing page of the external-login flow, which the portal does not offer",
        ["/Error"] = "the exception handler's page, shown only when a request fails",
    };

    /// <summary>Every @page of the portal with the policy of its [Authorize] or its [AllowAnonymous].</summary>
    public static IReadOnlyList<PortalRoute> All() =>
        [.. typeof(Web.Features.Dashboard.DashboardPage).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>().Select(route => new PortalRoute(route.Template, AccessOf(type))))
            .OrderBy(r => r.Template, StringComparer.Ordinal)];

    private static PageAccess AccessOf(Type page)
    {
        if (page.GetCustomAttribute<AllowAnonymousAttribute>(true) is not null)
        {
            return PageAccess.Anonymous;
        }
        return page.GetCustomAttributes<AuthorizeAttribute>(true).Select(a => a.Policy).FirstOrDefault(p => p is not null) switch
        {
            Policies.Admin => PageAccess.Admin,
            Policies.Operations => PageAccess.Operations,
            _ => PageAccess.SignedIn,
        };
    }

    /// <summary>The static pages of Identity (and the public error pages) load by themselves, outside the circuit.</summary>
    public bool OutsideTheCircuit => Template.StartsWith("/Account", StringComparison.Ordinal) || Access == PageAccess.Anonymous;

    /// <summary>A file name for its screenshots: "/orders/{OrderNo}" → "orders-order".</summary>
    public string Slug => Template == "/" ? "dashboard" : SlugPattern().Replace(
        string.Join('-', Template.Trim('/').Split('/').Select(part => part.StartsWith('{') ? part.Trim('{', '}').Split(':')[0].ToLowerInvariant() : part.ToLowerInvariant())), "-");

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex SlugPattern();
}

/// <summary>
/// What the walk reads on a page: layout faults measured in the browser, and words that are internals (resource keys,
/// enum and class names) or in the wrong language.
/// </summary>
public static partial class PageChecks
{
    /// <summary>
    /// Runs in the page. Returns layout faults (sideways scrolling, elements beyond the window's width that no
    /// scrolling container holds, text drawn over other text), the page's text, and the text of its chrome (headings,
    /// buttons, labels, column headers, tabs, alerts: words the portal writes, not data).
    /// </summary>
    public const string Script = """
        () => {
          const faults = [];
          const vw = document.documentElement.clientWidth;
          const root = document.scrollingElement || document.documentElement;
          if (root.scrollWidth > vw + 1) faults.push(`the page scrolls sideways: ${root.scrollWidth}px of content in a ${vw}px window`);
          const shown = el => el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
          const name = el => {
            let d = el.tagName.toLowerCase();
            const cls = [...el.classList].filter(c => !c.startsWith('mud-') || c.length < 24).slice(0, 2).join('.');
            if (cls) d += '.' + cls;
            const tid = el.closest('[data-testid]');
            if (tid) d += ` in [data-testid=${tid.dataset.testid}]`;
            const t = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
            return t ? `${d} "${t}"` : d;
          };
          // Overlays (dialogs, menus, tooltips, snackbars) lie over the page on purpose.
          const overlay = '.mud-overlay, .mud-dialog-container, .mud-popover, .mud-snackbar-location-top-right, .mud-snackbar-location-bottom-right, .mud-snackbar, [role=tooltip], #blazor-error-ui, #components-reconnect-modal';
          const clips = new Map();
          // The part of the window an element may paint in: its ancestors that clip or scroll cut it down.
          const clipOf = el => {
            if (!el || el === document.body || el === document.documentElement) return { left: -1e9, top: -1e9, right: 1e9, bottom: 1e9 };
            if (clips.has(el)) return clips.get(el);
            const parent = clipOf(el.parentElement);
            const s = getComputedStyle(el);
            let c = parent;
            if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
              const r = el.getBoundingClientRect();
              c = { left: Math.max(parent.left, r.left), top: Math.max(parent.top, r.top), right: Math.min(parent.right, r.right), bottom: Math.min(parent.bottom, r.bottom) };
            }
            clips.set(el, c);
            return c;
          };
          const scrollsSideways = new Map();
          const heldByScroller = el => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              if (!scrollsSideways.has(p)) {
                const x = getComputedStyle(p).overflowX;
                scrollsSideways.set(p, x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip');
              }
              if (scrollsSideways.get(p)) return true;
            }
            return false;
          };
          const beyond = new Set();
          for (const el of document.body.querySelectorAll('*')) {
            if (el.closest(overlay) || !shown(el)) continue;
            const r = el.getBoundingClientRect();
            if (r.width < 1 || r.height < 1 || r.right <= vw + 1) continue;
            if (getComputedStyle(el).position === 'fixed' && r.left >= vw) continue;
            if (heldByScroller(el)) continue;
            if (el.parentElement && beyond.has(el.parentElement)) { beyond.add(el); continue; }
            beyond.add(el);
            faults.push(`${name(el)} reaches ${Math.round(r.right)}px, beyond the ${vw}px window`);
          }
          const texts = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!el || !node.textContent.trim() || el.closest(overlay) || el.closest('script, style, noscript, title') || !shown(el)) continue;
            const clip = clipOf(el);
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) {
              const left = Math.max(r.left, clip.left), right = Math.min(r.right, clip.right);
              const top = Math.max(r.top, clip.top), bottom = Math.min(r.bottom, clip.bottom);
              if (right - left > 1 && bottom - top > 1) texts.push({ left, right, top, bottom, el, node });
            }
          }
          texts.sort((a, b) => a.top - b.top);
          const reported = new Set();
          for (let i = 0; i < texts.length && faults.length < 60; i++) {
            const a = texts[i];
            for (let j = i + 1; j < texts.length && texts[j].top < a.bottom; j++) {
              const b = texts[j];
              if (a.node === b.node) continue;
              const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
              const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
              if (w > 2 && h > 0.4 * Math.min(a.bottom - a.top, b.bottom - b.top)) {
                const key = name(a.el) + ' / ' + name(b.el);
                if (reported.has(key)) continue;
                reported.add(key);
                faults.push(`text overlaps text: ${name(a.el)} and ${name(b.el)}`);
              }
            }
          }
          const chrome = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, th, button, label, .mud-input-label, nav a, [role=tab], .mud-alert-message, .mud-chip-content, .mud-nav-link-text')]
            .filter(el => !el.closest('[translate=no], body [lang]') && shown(el))
            .map(el => {
              // Names, addresses and languages' own names are marked (translate="no", lang): not the portal's words.
              const copy = el.cloneNode(true);
              copy.querySelectorAll('[translate=no], [lang]').forEach(marked => marked.remove());
              return (copy.textContent || '').trim();
            }).filter(t => t);
          return { faults, text: document.body.innerText, chrome };
        }
        """;

    /// <summary>Internal names a person must never read: resource keys, enum members and class names of the portal.</summary>
    public static IReadOnlySet<string> InternalNames { get; } = LoadInternalNames();

    private static HashSet<string> LoadInternalNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in new[] { typeof(Web.Features.Dashboard.DashboardPage).Assembly, typeof(MerchantPortal.Carriers.ShipmentStatus).Assembly })
        {
            foreach (var type in assembly.GetTypes().Where(t => !t.IsNested || t.IsEnum).Where(t => !t.Name.Contains('<', StringComparison.Ordinal)))
            {
                AddIfIdentifier(names, type.Name.Split('`')[0]);
                if (type.IsEnum)
                {
                    foreach (var member in Enum.GetNames(type))
                    {
                        AddIfIdentifier(names, member);
                    }
                }
            }
        }
        foreach (var resx in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.resx", SearchOption.AllDirectories).Where(f => !f.Contains(".zh-CN.", StringComparison.Ordinal)))
        {
            foreach (var key in XDocument.Load(resx).Root!.Elements("data").Select(d => (string)d.Attribute("name")!))
            {
                // A dotted key ("Orders.Title") shown as it is means its resource is missing; a plain word may be English.
                if (key.Contains('.', StringComparison.Ordinal))
                {
                    names.Add(key);
                }
                else
                {
                    AddIfIdentifier(names, key);
                }
            }
        }
        return names;
    }

    /// <summary>Names of two or more capitalised words run together ("WaybillIssued"): never English prose.</summary>
    private static void AddIfIdentifier(HashSet<string> names, string name)
    {
        if (PascalCase().IsMatch(name))
        {
            names.Add(name);
        }
    }

    /// <summary>Names a person reads as they are because the partner uses them so, each with where.</summary>
    private static readonly Dictionary<string, string> PartnerTerms = new(StringComparer.Ordinal)
    {
        ["AppKey"] = "the aggregator's own name for the merchant's signing key, as its console and documentation write it",
        ["EBusinessID"] = "the aggregator's own name for the merchant id, as its console and documentation write it",
    };

    /// <summary>The words of a page's text that are internal names, each once.</summary>
    public static IEnumerable<string> InternalNamesIn(string text) =>
        Token().Matches(text).Select(m => m.Value.TrimEnd('.')).Where(InternalNames.Contains).Where(n => !PartnerTerms.ContainsKey(n)).Distinct(StringComparer.Ordinal);

    public static bool HasChinese(string text) => Cjk().IsMatch(text);

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (MerchantPortal.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$")]
    private static partial Regex PascalCase();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*")]
    private static partial Regex Token();

    [GeneratedRegex(@"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")]
    private static partial Regex Cjk();
}
