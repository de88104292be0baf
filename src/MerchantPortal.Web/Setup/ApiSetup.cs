using System.Text.Json.Serialization;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// Conventions for every REST endpoint: /api/v1, camelCase JSON with enums as strings, API keys (X-Api-Key) with
/// scopes, problem details naming the fields, Idempotency-Key on POSTs, OpenAPI at /openapi/v1.json and a
/// browsable reference at /api/docs.
/// </summary>
public static class ApiSetup
{
    public const long MaxJsonBodyBytes = 1024 * 1024;

    public static IServiceCollection AddPortalApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiOptions>(configuration, ApiOptions.Section);
        services.AddProblemDetails();
        // After the default writer: it still answers JSON-accepting callers; this one takes the rest under /api.
        services.AddSingleton<IProblemDetailsWriter, ApiProblemDetailsWriter>();
        // .NET 10 minimal-API validation: DataAnnotations on request records produce a 400 ValidationProblem
        // whose "errors" name each field.
        services.AddValidation();
        // Bad bodies and parameters throw in every environment, so ApiErrors answers them with a named field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "MerchantPortal API",
                    Version = "v1",
                    Description = "Orders, shipments, waybills, returns, exceptions and KPIs. Authenticate with an API key in the X-Api-Key header; POSTs honour Idempotency-Key.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyDefaults.Header,
                    Description = "An API key created by an Admin under /admin/api-keys.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, document)] = [] });
                return Task.CompletedTask;
            });
            // Only the public REST surface belongs in the document, not Identity's form endpoints or the sandbox.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.OrdinalIgnoreCase) == true;
        });
        return services;
    }

    /// <summary>The /api/v1 group: any valid key gets in; each endpoint adds the scope it needs.</summary>
    public static RouteGroupBuilder MapPortalApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (app.Configuration.GetValue("Api:Docs:Enabled", true))
        {
            MapApiReference(app);
        }
        return app.MapGroup("/api/v1")
            .RequireAuthorization(ApiScopes.AnyKeyPolicy)
            .DisableAntiforgery()
            // JSON bodies are small; 1 MB leaves room for a large order and refuses a flood early (413). Upload
            // endpoints set their own, larger limit.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxJsonBodyBytes))
            .WithTags("v1");
    }

    /// <summary>
    /// The browsable reference at /api/docs, for signed-in staff only (Api:Docs:Enabled false turns it off). The page is
    /// ours and loads scripts from files only; Scalar's package serves its bundle under /api/docs/assets (its own
    /// page there has an inline script, which the content security policy does not let run).
    /// </summary>
    private static void MapApiReference(WebApplication app)
    {
        const string page = """
            <!doctype html>
            <html lang="en">
            <head>
                <title>MerchantPortal API</title>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
            </head>
            <body>
                <div id="app"></div>
                <script src="/api/docs/assets/scalar.js"></script>
                <script src="/js/api-docs.js"></script>
            </body>
            </html>
            """;
        // One route serves /api/docs and /api/docs/ (routing ignores a trailing slash).
        app.MapGet("/api/docs", () => Results.Content(page, "text/html; charset=utf-8")).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
        app.MapScalarApiReference("/api/docs/assets", options => options
                .WithTitle("MerchantPortal API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .RequireAuthorization(Policies.SignedIn);
    }

    public static IApplicationBuilder UsePortalIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}
