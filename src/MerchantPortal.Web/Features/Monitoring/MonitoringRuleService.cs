using System.Globalization;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

/// <param name="Id">0 = a new rule.</param>
public sealed record MonitoringRuleInput(int Id, ExceptionType Type, string? ShipperCode, string? OriginProvince, string? DestinationProvince,
    int ThresholdHours, ExceptionSeverity Severity, int DueWithinHours, bool Enabled);

public sealed record RuleSaveResult(bool Ok, string? ErrorKey = null, int Id = 0);

/// <summary>Admin edits of the monitoring rules, audited. The next sweep and the next status change use them.</summary>
public sealed class MonitoringRuleService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>
    /// What a rule from the API lacks or exceeds, field by field (empty when <see cref="SaveAsync"/> may take it): the
    /// save's own hour and length limits, checked first so a refusal names the field and says why.
    /// </summary>
    public static FieldProblems Check(MonitoringRuleEndpoints.MonitoringRuleRequest request)
    {
        var problems = new FieldProblems();
        if (request.Type is null)
        {
            problems.Add("type", "The exception type is required (one of " + string.Join(", ", Enum.GetNames<ExceptionType>()) + ").");
        }
        if (request.Severity is null)
        {
            problems.Add("severity", "The severity is required (Low, Medium or High).");
        }
        CheckHours(problems, "thresholdHours", request.ThresholdHours);
        CheckHours(problems, "dueWithinHours", request.DueWithinHours);
        CheckScope(problems, "shipperCode", request.ShipperCode);
        CheckScope(problems, "originProvince", request.OriginProvince);
        CheckScope(problems, "destinationProvince", request.DestinationProvince);
        return problems;
    }

    private static void CheckHours(FieldProblems problems, string field, int? value)
    {
        const int max = MonitoringRuleEndpoints.MaxHours;
        if (value is null)
        {
            problems.Add(field, $"{field} is required, 0 to {max} hours.");
        }
        else if (value is < 0 or > max)
        {
            problems.Add(field, $"{field} must be between 0 and {max} hours (60 days); it was {value}.");
        }
    }

    private static void CheckScope(FieldProblems problems, string field, string? value)
    {
        const int max = MonitoringRuleEndpoints.MaxScopeLength;
        var length = value?.Trim().Length ?? 0;
        if (length > max)
        {
            problems.Add(field, $"{field} has at most {max} characters; it had {length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}. Nothing was saved.");
        }
    }

    public async Task<IReadOnlyList<MonitoringRule>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.Set<MonitoringRule>().AsNoTracking().ToListAsync(ct);
        return rules.OrderBy(r => r.Type).ThenBy(r => r.Specificity).ThenBy(r => r.Id).ToList();
    }

    public async Task<RuleSaveResult> SaveAsync(MonitoringRuleInput input, string actor, CancellationToken ct = default)
    {
        if (input.ThresholdHours is < 0 or > 24 * 60 || input.DueWithinHours is < 0 or > 24 * 60)
        {
            return new RuleSaveResult(false, "Rules.Error.Hours");
        }
        var code = Clean(input.ShipperCode)?.ToUpperInvariant();
        var origin = Clean(input.OriginProvince);
        var destination = Clean(input.DestinationProvince);
        // The columns hold 20 characters; SQLite would store more and SQL Server would fail the save.
        if (code?.Length > 20 || origin?.Length > 20 || destination?.Length > 20)
        {
            return new RuleSaveResult(false, "Rules.Error.TooLong");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = input.Id == 0 ? new MonitoringRule() : await db.Set<MonitoringRule>().SingleOrDefaultAsync(r => r.Id == input.Id, ct);
        if (rule is null)
        {
            return new RuleSaveResult(false, "Rules.Error.NotFound");
        }
        if (rule.IsBuiltIn && (rule.Type != input.Type || code is not null || origin is not null || destination is not null))
        {
            // A default is the fallback for every carrier and lane; narrowing it would leave parcels unwatched.
            return new RuleSaveResult(false, "Rules.Error.BuiltInScope");
        }
        var duplicate = await db.Set<MonitoringRule>().AnyAsync(r => r.Id != rule.Id && r.Type == input.Type
            && r.ShipperCode == code && r.OriginProvince == origin && r.DestinationProvince == destination, ct);
        if (duplicate)
        {
            return new RuleSaveResult(false, "Rules.Error.Duplicate");
        }
        (rule.Type, rule.ShipperCode, rule.OriginProvince, rule.DestinationProvince) = (input.Type, code, origin, destination);
        (rule.ThresholdHours, rule.Severity, rule.DueWithinHours, rule.Enabled) = (input.ThresholdHours, input.Severity, input.DueWithinHours, input.Enabled);
        var now = clock.GetUtcNow().UtcDateTime;
        rule.UpdatedAtUtc = now;
        if (input.Id == 0)
        {
            db.Add(rule);
        }
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, input.Id == 0 ? "monitoring-rule.create" : "monitoring-rule.update", nameof(MonitoringRule),
            rule.Id.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(input with { Id = rule.Id }));
        await db.SaveChangesAsync(ct);
        return new RuleSaveResult(true, Id: rule.Id);
    }

    public async Task<bool> DeleteAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.Set<MonitoringRule>().SingleOrDefaultAsync(r => r.Id == id && !r.IsBuiltIn, ct);
        if (rule is null)
        {
            return false;
        }
        db.Remove(rule);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, "monitoring-rule.delete", nameof(MonitoringRule), id.ToString(CultureInfo.InvariantCulture), rule.Type.ToString());
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
