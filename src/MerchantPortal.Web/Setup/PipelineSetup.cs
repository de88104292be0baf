using Hangfire;
using MerchantPortal.Web.Components;
using Microsoft.Extensions.FileProviders;

namespace MerchantPortal.Web.Setup;

public static class PipelineSetup
{
    // Blazor Server needs its WebSocket (connect-src) and MudBlazor sets inline styles. Inline scripts are still
    // allowed for the Hangfire dashboard and the API reference page; tightening that is tracked in issue 10.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; " +
        "connect-src 'self' ws: wss:; font-src 'self' data:; frame-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["X-Frame-Options"] = "SAMEORIGIN";
            if (!context.Request.Path.StartsWithSegments("/api/docs"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            return next();
        });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization();

        // wwwroot-assets/ (brand, fonts, demo files) is copied beside the app by the build and served at /assets.
        var assets = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets), RequestPath = "/assets" });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseTwoFactorEnrolment();
        app.UseAntiforgery();
        app.UsePortalIdempotency();
        return app;
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
        var api = app.MapPortalApi();
        app.MapPortalFeatures(api);
        return app;
    }
}
