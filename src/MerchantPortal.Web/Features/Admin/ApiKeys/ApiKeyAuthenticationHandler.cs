using System.Security.Claims;
using System.Text.Encodings.Web;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Admin.ApiKeys;

/// <summary>Authenticates /api/v1 calls by the X-Api-Key header; answers 401/403 as problem details, never a redirect.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return AuthenticateResult.NoResult();
        }
        var identity = await keys.VerifyAsync(values.ToString().Trim(), Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "apikey:" + identity.Id),
            new(ClaimTypes.Name, "apikey:" + identity.Name),
        };
        claims.AddRange(identity.Scopes.Select(s => new Claim(ApiScopes.ClaimType, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyDefaults.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyDefaults.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status401Unauthorized, "Authentication required",
            $"Send a valid API key in the {ApiKeyDefaults.Header} header. Keys are created by an Admin under /admin/api-keys.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "Missing scope",
            "This API key does not carry the scope this endpoint needs.");

    private async Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = ApiKeyDefaults.Scheme;
        }
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
