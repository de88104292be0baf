using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// /api/v1/settings/return-rules: the Returns page's Admin rules dialog (auto-approval and refund trigger), for
/// systems (admin scope). Saved through <see cref="ReturnRules"/>, as the dialog does (audited as setting.changed).
/// </summary>
public static class ReturnRuleEndpoints
{
    /// <summary>Above this an automatic approval is no rule any more; the dialog has no upper bound, the API refuses one.</summary>
    public const decimal MaxAutoApproveAmount = 1_000_000m;

    /// <param name="AutoApproveReasons">Reasons approved without an Ops decision …</param>
    /// <param name="AutoApproveMaxAmount">… when the return's amount is at most this.</param>
    /// <param name="RefundTrigger">OnReceipt (the parcel reached the warehouse) or OnFirstScan (the courier's first scan).</param>
    public sealed record ReturnRulesView(IReadOnlyList<ReturnReason> AutoApproveReasons, decimal AutoApproveMaxAmount, RefundTrigger RefundTrigger);

    /// <param name="AutoApproveReasons">Required; may be empty (every return waits for Ops).</param>
    /// <param name="AutoApproveMaxAmount">Required, 0 to 1,000,000.</param>
    /// <param name="RefundTrigger">Required: OnReceipt or OnFirstScan.</param>
    public sealed record ReturnRulesRequest(IReadOnlyList<ReturnReason>? AutoApproveReasons, decimal? AutoApproveMaxAmount, RefundTrigger? RefundTrigger);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/return-rules").WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));

        group.MapGet("/", GetAsync)
            .Produces<ReturnRulesView>()
            .WithName("GetReturnRules")
            .WithSummary("Which returns are approved without an Ops decision, and when refunds are triggered (the Returns page's rules).");

        group.MapPut("/", SetAsync)
            .Produces<ReturnRulesView>().ProducesValidationProblem()
            .WithName("SetReturnRules")
            .WithSummary("Replaces the return rules (audited), as the Returns page's rules dialog saves them. 400 naming autoApproveReasons, autoApproveMaxAmount (0 to 1,000,000) or refundTrigger when one is missing or out of range; nothing is saved then.");
    }

    private static async Task<Ok<ReturnRulesView>> GetAsync(ReturnRules rules, CancellationToken ct) => TypedResults.Ok(View(await rules.GetAsync(ct)));

    private static async Task<IResult> SetAsync(ReturnRulesRequest request, ReturnRules rules, HttpContext http, CancellationToken ct)
    {
        var problems = ReturnRules.Check(request);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var set = new ReturnRuleSet([.. request.AutoApproveReasons!.Distinct()], request.AutoApproveMaxAmount!.Value, request.RefundTrigger!.Value);
        await rules.SetAsync(set, Actor.OfApiKey(http.User), ct);
        return TypedResults.Ok(View(await rules.GetAsync(ct)));
    }

    private static ReturnRulesView View(ReturnRuleSet r) => new(r.AutoApproveReasons, r.AutoApproveMaxAmount, r.RefundTrigger);
}
