using Hangfire;
using MerchantPortal.Web.Components;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.FileProviders;

namespace MerchantPortal.Web.Setup;

public static class PipelineSetup
{
    /// <summary>The per-request nonce the page's own inline script (the import map) carries; see <see cref="ContentSecurityPolicyFor"/>.</summary>
    public const string CspNonceKey = "csp-nonce";

    /// <summary>
    /// Portal pages allow scripts from this origin and the one inline script Blazor renders (the import map), by a
    /// per-request nonce. MudBlazor sets inline styles, so styles stay 'unsafe-inline' (styles cannot run code).
    /// The Hangfire dashboard, a third-party page we do not render ourselves, ships its own inline scripts; only it gets
    /// 'unsafe-inline' for scripts, behind the Admin role. The API reference is a page of ours with script files only.
    /// </summary>
    public static string ContentSecurityPolicyFor(PathString path, string nonce)
    {
        var thirdParty = path.StartsWithSegments("/admin/jobs");
        var scripts = thirdParty ? "'self' 'unsafe-inline'" : $"'self' 'nonce-{nonce}'";
        return $"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src {scripts}; " +
            $"connect-src 'self' ws: wss:; font-src 'self' data:; frame-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UsePortalForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseMiddleware<Infrastructure.ApiErrors>();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["X-Frame-Options"] = "SAMEORIGIN";
            // Hex, not base64: Razor HTML-encodes '+' and '/' in the attribute (&#x2B;), which browsers decode but
            // anything reading the markup literally does not; hex is valid CSP nonce syntax and survives unchanged.
            var nonce = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            context.Items[CspNonceKey] = nonce;
            headers.ContentSecurityPolicy = ContentSecurityPolicyFor(context.Request.Path, nonce);
            return next();
        });
        // API callers get a problem body for every bodiless error (404 for no route, 405 for a wrong method, 401/403
        // from authorization): re-executing /not-found would answer them with a page, or a 400 from its antiforgery.
        // Order matters: the API branch is inside, so it writes its body first and the outer re-execute leaves a
        // response with a body alone. (The re-execute must stay on the main pipeline: in a UseWhen branch it cannot
        // re-run routing, and the not-found page came back empty.)
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(context => IsApi(context.Request.Path), api => api.UseStatusCodePages(ApiStatusCodeProblem));
        app.UseRequestLocalization();

        // wwwroot-assets/ (brand, fonts, demo files) is copied beside the app by the build and served at /assets.
        var assets = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets), RequestPath = "/assets" });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        // Endpoint policies only (e.g. the public tracking page); nothing is limited without [EnableRateLimiting].
        app.UseRateLimiter();
        app.UseTwoFactorEnrolment();
        app.UseAntiforgery();
        app.UsePortalIdempotency();
        return app;
    }

    /// <summary>
    /// Behind a load balancer that ends TLS (docs/operations.md): with <c>Proxy:ForwardedHeaders</c> the client's address
    /// and scheme come from X-Forwarded-For / X-Forwarded-Proto, so redirects stay on https, the antiforgery cookie is
    /// Secure and the tracking page's rate limit counts clients, not the proxy. Only the networks in
    /// <c>Proxy:KnownNetworks</c> (CIDR) are believed; without any, every sender is — then only the load balancer may
    /// reach the instances. Off by default: a client could otherwise claim any address.
    /// </summary>
    private static void UsePortalForwardedHeaders(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Proxy:ForwardedHeaders"))
        {
            return;
        }
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var network in app.Configuration.GetSection("Proxy:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
        app.UseForwardedHeaders(options);
    }

    /// <summary>Calls answered with status codes and problem bodies; the API reference under /api/docs is a page.</summary>
    internal static bool IsApi(PathString path) => path.StartsWithSegments("/api") && !path.StartsWithSegments("/api/docs");

    /// <summary>Always JSON, whatever the Accept header says: an API client must be able to parse every answer.</summary>
    private static Task ApiStatusCodeProblem(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var title = status switch
        {
            StatusCodes.Status404NotFound => "Not found: no such resource or no such route under /api/v1.",
            StatusCodes.Status405MethodNotAllowed => "Method not allowed on this route.",
            StatusCodes.Status401Unauthorized => "An API key is required (X-Api-Key header).",
            StatusCodes.Status403Forbidden => "The API key lacks the scope this endpoint needs.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported content type: send application/json (or multipart/form-data for uploads).",
            _ => null,
        };
        return Results.Problem(statusCode: status, title: title).ExecuteAsync(context.HttpContext);
    }

    public static WebApplication MapPortalEndpoints(this WebApplication app)
    {
        // Stylesheets and scripts are public: the login page needs them before anyone has signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapCultureSwitch();
        app.MapPortalHealth();
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Admin, "/admin/jobs", new DashboardOptions
        {
            DashboardTitle = "MerchantPortal jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        app.MapPortalCarriers();
        app.MapPortalPaymentSandbox();
        var api = app.MapPortalApi();
        app.MapPortalFeatures(api);
        return app;
    }
}
