using System.Security.Claims;
using System.Text;
using MerchantPortal.Web.Features.Returns.WeChatPay;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Refunds in the API: the list (returns:read), the merchant system's confirmation (refunds:write), the refund settings
/// (admin), and WeChat Pay's 退款结果通知 (anonymous: authenticated by its signature, outside /api/v1 like the carrier push).
/// </summary>
public static class RefundEndpoints
{
    public const string NotifyRoute = "/" + WeChatPayRefunds.NotifyPath;

    /// <param name="Status">Succeeded or Failed (required).</param>
    /// <param name="Reference">The merchant system's payment reference (at most 100 characters).</param>
    /// <param name="Reason">Why it failed (required for Failed, at most 500 characters); put on the exception case.</param>
    public sealed record RefundResultRequest(string? Status, string? Reference, string? Reason);

    /// <param name="NextAfterId">Pass back as afterId for the next page; null on the last page.</param>
    public sealed record RefundPage(IReadOnlyList<RefundRow> Items, long? NextAfterId);

    /// <param name="Method">None, MerchantSystem or WeChatPay.</param>
    /// <param name="WeChatPay">The account (without its secrets).</param>
    /// <param name="PrivateKeyStored">A merchant API private key is stored (it is never shown).</param>
    /// <param name="ApiV3KeyStored">An APIv3 key is stored (it is never shown).</param>
    public sealed record RefundSettingsResponse(RefundMethod Method, WeChatPayAccount? WeChatPay, bool PrivateKeyStored, bool ApiV3KeyStored);

    /// <param name="Method">Required: None, MerchantSystem or WeChatPay.</param>
    /// <param name="WeChatPay">Required for WeChatPay unless already stored.</param>
    /// <param name="PrivateKeyPem">The merchant API certificate's private key (PEM); omitted = keep the stored one.</param>
    /// <param name="ApiV3Key">The 32-character APIv3 key; omitted = keep the stored one.</param>
    public sealed record RefundSettingsRequest(RefundMethod? Method, WeChatPayAccount? WeChatPay, string? PrivateKeyPem, string? ApiV3Key);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var refunds = api.MapGroup("/refunds").WithTags("Returns");
        refunds.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsRead))
          .WithName("ListRefunds")
          .WithSummary("Refunds newest first with their true state (Requested, Pending, Succeeded, Failed), the provider's refund id (reference), WeChat Pay's out_refund_no and a failure's reason. waiting says why a refund has not moved (NotConfigured: no refund method).");

        refunds.MapPost("/{id:long}/result", ConfirmAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.RefundsWrite))
          .Produces<RefundRow>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status409Conflict)
          .WithName("ConfirmRefund")
          .WithSummary("The merchant system's result of a refund it was asked for by the refund.requested webhook: Succeeded (the return becomes Refunded and the customer is told) or Failed (an exception case with the reason). Idempotent: the same result again answers 200 with the same refund; another result after a final one is 409.");

        var settings = api.MapGroup("/settings/refunds").WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));
        settings.MapGet("/", GetSettingsAsync)
            .WithName("GetRefundSettings").WithSummary("How refunds are paid: None, MerchantSystem (webhook + confirmation) or WeChatPay; secrets are never returned.");
        settings.MapPut("/", SetSettingsAsync).ProducesValidationProblem()
          .WithName("SetRefundSettings").WithSummary("Chooses the refund method; for WeChatPay the account (mchid, certificate serial, WeChat Pay public key and its id, base URL) and, once, the private key and APIv3 key, which are stored encrypted and never shown again.");

        app.MapPost(NotifyRoute, TakeWeChatPayNotificationAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
          .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 * 1024));
    }

    private static async Task<Ok<RefundPage>> ListAsync(RefundStatus? status, long? afterId, int? limit, ReturnQueries queries, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var items = await queries.RefundsAsync(status, afterId, take, ct);
        return TypedResults.Ok(new RefundPage(items, items.Count == take ? items[^1].Id : null));
    }

    private static async Task<IResult> ConfirmAsync(long id, RefundResultRequest request, RefundOutcomes outcomes, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = RefundOutcomes.ResultProblems(request.Status, request.Reference, request.Reason, out var result);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var current = await queries.RefundAsync(id, ct);
        if (current is null)
        {
            return TypedResults.NotFound();
        }
        if (current.Method is { } m && m != RefundMethod.MerchantSystem)
        {
            return Conflict("method", $"Refund {id} is paid through {m}; its outcome comes from there, not from this endpoint.");
        }
        var outcome = await outcomes.ApplyAsync(id, result!.Value, request.Reference, request.Reason, Actor.OfApiKey(user), ct);
        return outcome switch
        {
            RefundApplyOutcome.Applied or RefundApplyOutcome.AlreadyApplied => TypedResults.Ok(await queries.RefundAsync(id, ct)),
            RefundApplyOutcome.Conflict => Conflict("status", $"Refund {id} is already {current.Status}; a final result is never changed."),
            RefundApplyOutcome.NotPending => Conflict("status", $"Refund {id} has not been requested from the merchant system yet ({current.Status})."),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Ok<RefundSettingsResponse>> GetSettingsAsync(RefundSettings s, CancellationToken ct) => TypedResults.Ok(View(await s.ViewAsync(ct)));

    private static async Task<IResult> SetSettingsAsync(RefundSettingsRequest request, RefundSettings s, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = RefundSettings.Check(request, await s.ViewAsync(ct));
        if (problems.Any)
        {
            return problems.ToResult();
        }
        await s.SetAsync(request.Method!.Value, request.WeChatPay, request.PrivateKeyPem, request.ApiV3Key, Actor.OfApiKey(user), ct);
        return TypedResults.Ok(View(await s.ViewAsync(ct)));
    }

    private static async Task<IResult> TakeWeChatPayNotificationAsync(HttpRequest request, WeChatPayRefunds wechat, CancellationToken ct)
    {
        // The signature covers the raw body: read it as bytes, never through a JSON binder first.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        var verdict = await wechat.TakeNotificationAsync(request.Headers, body, ct);
        return verdict.Failure is null
            ? Results.NoContent()
            // The documented failure answer; WeChat Pay sends the notification again later.
            : Results.Json(new { code = "FAIL", message = verdict.Failure }, statusCode: verdict.StatusCode);
    }

    private static IResult Conflict(string field, string message) =>
        TypedResults.Problem(title: message, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["errors"] = FieldProblems.Of(field, message).ToDictionary() });

    private static RefundSettingsResponse View(RefundSettingsView v) => new(v.Method, v.WeChatPay, v.PrivateKeyStored, v.ApiV3KeyStored);
}
