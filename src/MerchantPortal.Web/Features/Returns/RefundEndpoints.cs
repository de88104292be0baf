using System.Security.Claims;
using System.Text;
using MerchantPortal.Web.Features.Returns.WeChatPay;
using MerchantPortal.Web.Infrastructure;

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

        refunds.MapGet("/", async (RefundStatus? status, long? afterId, int? limit, ReturnQueries queries, CancellationToken ct) =>
        {
            var take = Math.Clamp(limit ?? 50, 1, 200);
            var items = await queries.RefundsAsync(status, afterId, take, ct);
            return TypedResults.Ok(new RefundPage(items, items.Count == take ? items[^1].Id : null));
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsRead))
          .WithName("ListRefunds")
          .WithSummary("Refunds newest first with their true state (Requested, Pending, Succeeded, Failed), the provider's refund id (reference), WeChat Pay's out_refund_no and a failure's reason. waiting says why a refund has not moved (NotConfigured: no refund method).");

        refunds.MapPost("/{id:long}/result", async Task<IResult> (long id, RefundResultRequest request, RefundOutcomes outcomes, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            RefundResult? result = request.Status switch
            {
                "Succeeded" => RefundResult.Succeeded,
                "Failed" => RefundResult.Failed,
                _ => null,
            };
            if (result is null)
            {
                errors["status"] = ["status is required: Succeeded or Failed."];
            }
            if (request.Reference is { Length: > 100 })
            {
                errors["reference"] = ["reference is at most 100 characters."];
            }
            if (result == RefundResult.Failed && string.IsNullOrWhiteSpace(request.Reason))
            {
                errors["reason"] = ["reason is required when the refund failed: it is what Ops see on the exception case."];
            }
            if (request.Reason is { Length: > 500 })
            {
                errors["reason"] = ["reason is at most 500 characters."];
            }
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
            var current = (await queries.RefundAsync(id, ct));
            if (current is null)
            {
                return TypedResults.NotFound();
            }
            if (current.Method is { } m && m != RefundMethod.MerchantSystem)
            {
                return Conflict("method", $"Refund {id} is paid through {m}; its outcome comes from there, not from this endpoint.");
            }
            var outcome = await outcomes.ApplyAsync(id, result!.Value, request.Reference, request.Reason, "api:" + (user.Identity?.Name ?? "key"), ct);
            return outcome switch
            {
                RefundApplyOutcome.Applied or RefundApplyOutcome.AlreadyApplied => TypedResults.Ok(await queries.RefundAsync(id, ct)),
                RefundApplyOutcome.Conflict => Conflict("status", $"Refund {id} is already {current.Status}; a final result is never changed."),
                RefundApplyOutcome.NotPending => Conflict("status", $"Refund {id} has not been requested from the merchant system yet ({current.Status})."),
                _ => TypedResults.NotFound(),
            };
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.RefundsWrite))
          .Produces<RefundRow>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status409Conflict)
          .WithName("ConfirmRefund")
          .WithSummary("The merchant system's result of a refund it was asked for by the refund.requested webhook: Succeeded (the return becomes Refunded and the customer is told) or Failed (an exception case with the reason). Idempotent: the same result again answers 200 with the same refund; another result after a final one is 409.");

        var settings = api.MapGroup("/settings/refunds").WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));
        settings.MapGet("/", async (RefundSettings s, CancellationToken ct) => TypedResults.Ok(View(await s.ViewAsync(ct))))
            .WithName("GetRefundSettings").WithSummary("How refunds are paid: None, MerchantSystem (webhook + confirmation) or WeChatPay; secrets are never returned.");
        settings.MapPut("/", async Task<IResult> (RefundSettingsRequest request, RefundSettings s, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var current = await s.ViewAsync(ct);
            var errors = Validate(request, current);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
            await s.SetAsync(request.Method!.Value, request.WeChatPay, request.PrivateKeyPem, request.ApiV3Key, "api:" + (user.Identity?.Name ?? "key"), ct);
            return TypedResults.Ok(View(await s.ViewAsync(ct)));
        }).ProducesValidationProblem()
          .WithName("SetRefundSettings").WithSummary("Chooses the refund method; for WeChatPay the account (mchid, certificate serial, WeChat Pay public key and its id, base URL) and, once, the private key and APIv3 key, which are stored encrypted and never shown again.");

        app.MapPost(NotifyRoute, async (HttpRequest request, WeChatPayRefunds wechat, CancellationToken ct) =>
        {
            // The signature covers the raw body: read it as bytes, never through a JSON binder first.
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(ct);
            var verdict = await wechat.TakeNotificationAsync(request.Headers, body, ct);
            return verdict.Failure is null
                ? Results.NoContent()
                // The documented failure answer; WeChat Pay sends the notification again later.
                : Results.Json(new { code = "FAIL", message = verdict.Failure }, statusCode: verdict.StatusCode);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
          .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 * 1024));
    }

    internal static Dictionary<string, string[]> Validate(RefundSettingsRequest request, RefundSettingsView current)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Method is not { } method || !Enum.IsDefined(method))
        {
            errors["method"] = [$"method is required: {string.Join(", ", Enum.GetNames<RefundMethod>())}."];
            return errors;
        }
        // An account or a secret given with another method is checked all the same: it is stored.
        var wechat = method == RefundMethod.WeChatPay;
        if (!wechat && request.WeChatPay is null && request.PrivateKeyPem is null && request.ApiV3Key is null)
        {
            return errors;
        }
        var account = request.WeChatPay ?? current.WeChatPay;
        if (account is null)
        {
            if (wechat)
            {
                errors["weChatPay"] = ["weChatPay is required for the WeChatPay method."];
            }
        }
        else
        {
            ValidateAccount(account, errors);
        }
        if (request.PrivateKeyPem is not null ? !IsPem(request.PrivateKeyPem, isPrivate: true) : wechat && !current.PrivateKeyStored)
        {
            errors["privateKeyPem"] = ["privateKeyPem is the merchant API certificate's RSA private key in PEM (required the first time)."];
        }
        if (request.ApiV3Key is not null ? Encoding.UTF8.GetByteCount(request.ApiV3Key.Trim()) != 32 : wechat && !current.ApiV3KeyStored)
        {
            errors["apiV3Key"] = ["apiV3Key is the 32-character APIv3 key (required the first time)."];
        }
        return errors;
    }

    private static void ValidateAccount(WeChatPayAccount account, Dictionary<string, string[]> errors)
    {
        if (account.BaseUrl is not { Length: <= 300 } || !Uri.TryCreate(account.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http"))
        {
            errors["weChatPay.baseUrl"] = ["baseUrl is an absolute http(s) URL, e.g. https://api.mch.weixin.qq.com."];
        }
        if (string.IsNullOrWhiteSpace(account.MchId) || account.MchId.Length > 32)
        {
            errors["weChatPay.mchId"] = ["mchId (商户号) is required, at most 32 characters."];
        }
        if (string.IsNullOrWhiteSpace(account.MerchantSerialNo) || account.MerchantSerialNo.Length > 64)
        {
            errors["weChatPay.merchantSerialNo"] = ["merchantSerialNo (the merchant API certificate's serial number) is required."];
        }
        if (string.IsNullOrWhiteSpace(account.PlatformPublicKeyId) || account.PlatformPublicKeyId.Length > 64)
        {
            errors["weChatPay.platformPublicKeyId"] = ["platformPublicKeyId (the WeChat Pay public key id, PUB_KEY_ID_…) is required."];
        }
        // A public key PEM is about 450 characters; the limit keeps the stored setting within PortalSettings' 4,000.
        if (account.PlatformPublicKeyPem is not { Length: <= 2000 } || !IsPem(account.PlatformPublicKeyPem, isPrivate: false))
        {
            errors["weChatPay.platformPublicKeyPem"] = ["platformPublicKeyPem is the WeChat Pay public key in PEM."];
        }
    }

    private static bool IsPem(string? pem, bool isPrivate)
    {
        // WeChat Pay keys are RSA 2048: about 1,700 characters in PEM. Longer would not fit the encrypted setting (4,000).
        if (string.IsNullOrWhiteSpace(pem) || pem.Length > 2000)
        {
            return false;
        }
        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportFromPem(pem);
            if (isPrivate)
            {
                _ = rsa.ExportParameters(true);
            }
            return true;
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static IResult Conflict(string field, string message) =>
        TypedResults.Problem(title: message, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    private static RefundSettingsResponse View(RefundSettingsView v) => new(v.Method, v.WeChatPay, v.PrivateKeyStored, v.ApiV3KeyStored);
}
