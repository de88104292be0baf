using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>When a return's refund is triggered.</summary>
public enum RefundTrigger
{
    /// <summary>When the return parcel is delivered to the warehouse (default).</summary>
    OnReceipt,
    /// <summary>At the courier's first scan: faster for the customer, the merchant carries the risk.</summary>
    OnFirstScan,
}

/// <summary>The Admin's return rules (PortalSettings keys "returns.*").</summary>
public sealed record ReturnRuleSet(IReadOnlyList<ReturnReason> AutoApproveReasons, decimal AutoApproveMaxAmount, RefundTrigger RefundTrigger)
{
    public static readonly ReturnRuleSet Default = new([ReturnReason.Damaged, ReturnReason.WrongItem, ReturnReason.NotAsDescribed], 500m, RefundTrigger.OnReceipt);

    /// <summary>A return is approved without an Ops decision when its reason is listed and its amount is small enough.</summary>
    public bool AutoApproves(ReturnReason reason, decimal amount) => AutoApproveReasons.Contains(reason) && amount <= AutoApproveMaxAmount;
}

public sealed class ReturnRules(PortalSettings settings)
{
    public const string ReasonsKey = "returns.autoApproveReasons";
    public const string MaxAmountKey = "returns.autoApproveMaxAmount";
    public const string TriggerKey = "returns.refundTrigger";

    /// <summary>What is wrong with rules sent by the API, field by field (the dialog cannot send such values).</summary>
    public static FieldProblems Check(ReturnRuleEndpoints.ReturnRulesRequest request)
    {
        var problems = new FieldProblems();
        if (request.AutoApproveReasons is null)
        {
            problems.Add("autoApproveReasons", "autoApproveReasons is required (an empty list: no return is approved automatically).");
        }
        else if (request.AutoApproveReasons.Any(r => !Enum.IsDefined(r)))
        {
            problems.Add("autoApproveReasons", $"autoApproveReasons holds only {string.Join(", ", Enum.GetNames<ReturnReason>())}.");
        }
        if (request.AutoApproveMaxAmount is not { } max || max is < 0 or > ReturnRuleEndpoints.MaxAutoApproveAmount)
        {
            problems.Add("autoApproveMaxAmount", $"autoApproveMaxAmount is required, 0 to {ReturnRuleEndpoints.MaxAutoApproveAmount:0}; it was {request.AutoApproveMaxAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}.");
        }
        if (request.RefundTrigger is not { } trigger || !Enum.IsDefined(trigger))
        {
            problems.Add("refundTrigger", $"refundTrigger is required: {string.Join(" or ", Enum.GetNames<RefundTrigger>())}.");
        }
        return problems;
    }

    public async Task<ReturnRuleSet> GetAsync(CancellationToken ct = default) => new(
        await settings.GetAsync(ReasonsKey, ReturnRuleSet.Default.AutoApproveReasons.ToArray(), ct),
        await settings.GetAsync(MaxAmountKey, ReturnRuleSet.Default.AutoApproveMaxAmount, ct),
        await settings.GetAsync(TriggerKey, ReturnRuleSet.Default.RefundTrigger, ct));

    public async Task SetAsync(ReturnRuleSet rules, string actor, CancellationToken ct = default)
    {
        await settings.SetAsync(ReasonsKey, rules.AutoApproveReasons.ToArray(), actor, ct);
        await settings.SetAsync(MaxAmountKey, rules.AutoApproveMaxAmount, actor, ct);
        await settings.SetAsync(TriggerKey, rules.RefundTrigger, actor, ct);
    }
}
