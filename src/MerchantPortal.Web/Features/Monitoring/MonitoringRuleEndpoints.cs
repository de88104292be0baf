using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// /api/v1/monitoring-rules: what /admin/monitoring-rules does, for systems (Admin scope, as the page is Admin-only).
/// Saves go through <see cref="MonitoringRuleService"/>, the page's own service, so both store the same thing and are
/// audited alike; the endpoint only checks the input first so a refusal names the field and says why.
/// </summary>
public static class MonitoringRuleEndpoints
{
    /// <param name="Type">The exception the rule opens (NoFirstScan, NoUpdate, OutForDeliveryStalled, FailedDelivery, Rejected, LockerNotCollected, ReturningToSender, PromisedDateMissed, PickupNoShow, RefundFailed). Required.</param>
    /// <param name="ShipperCode">The carrier it is limited to (stored upper-case), at most 20 characters; empty = any carrier.</param>
    /// <param name="OriginProvince">The origin province it is limited to, at most 20 characters; empty = any.</param>
    /// <param name="DestinationProvince">The destination province it is limited to, at most 20 characters; empty = any.</param>
    /// <param name="ThresholdHours">Hours the condition must last before a case opens, 0 to 1440. Required (status-triggered types ignore it).</param>
    /// <param name="Severity">Low, Medium or High. Required.</param>
    /// <param name="DueWithinHours">Hours Ops have to handle an opened case, 0 to 1440. Required.</param>
    /// <param name="Enabled">False switches the rule off (parcels it decides for are then not watched for this type). Default true.</param>
    public sealed record MonitoringRuleRequest(ExceptionType? Type, string? ShipperCode, string? OriginProvince, string? DestinationProvince,
        int? ThresholdHours, ExceptionSeverity? Severity, int? DueWithinHours, bool? Enabled = true);

    /// <param name="IsBuiltIn">A seeded default: editable (hours, severity, on/off) but never narrowed to a carrier or lane, nor deleted.</param>
    /// <param name="StatusTriggered">The type opens at once on a status change; its threshold is not used.</param>
    public sealed record MonitoringRuleView(int Id, ExceptionType Type, string? ShipperCode, string? OriginProvince, string? DestinationProvince,
        int ThresholdHours, ExceptionSeverity Severity, int DueWithinHours, bool Enabled, bool IsBuiltIn, bool StatusTriggered, DateTime UpdatedAtUtc)
    {
        public static MonitoringRuleView From(MonitoringRule r) => new(r.Id, r.Type, r.ShipperCode, r.OriginProvince, r.DestinationProvince,
            r.ThresholdHours, r.Severity, r.DueWithinHours, r.Enabled, r.IsBuiltIn, r.IsStatusTriggered, r.UpdatedAtUtc);
    }

    /// <summary>The service's limits (MonitoringRuleService.SaveAsync), repeated for its check so a problem names the field.</summary>
    public const int MaxHours = 24 * 60;
    public const int MaxScopeLength = 20;

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/monitoring-rules").WithTags("Monitoring");

        group.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<List<MonitoringRuleView>>()
            .WithName("ListMonitoringRules")
            .WithSummary("The in-transit monitoring rules, as /admin/monitoring-rules lists them (by type, then specificity). For a parcel the most specific matching rule of a type decides (carrier, then destination, then origin; empty = any).");

        group.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<MonitoringRuleView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithName("CreateMonitoringRule")
            .WithSummary("Adds a monitoring rule (audited); the next sweep and the next status change use it. 400 naming the field: a missing type, threshold, severity or due time, hours outside 0–1440, a carrier or province over 20 characters, or a rule of the same type, carrier and lane that exists already.");

        group.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<MonitoringRuleView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("UpdateMonitoringRule")
            .WithSummary("Changes a monitoring rule (audited), as the page's Save does: send the whole rule. A built-in rule keeps its type and stays for every carrier and lane (400 naming the field otherwise). 404 when no rule has this id.");

        group.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("DeleteMonitoringRule")
            .WithSummary("Removes a monitoring rule (audited), as the page's delete button does. 409 for a built-in rule (switch it off instead); 404 when no rule has this id.");
    }

    private static async Task<Ok<List<MonitoringRuleView>>> ListAsync(MonitoringRuleService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListAsync(ct)).Select(MonitoringRuleView.From).ToList());

    private static Task<IResult> CreateAsync(MonitoringRuleRequest request, MonitoringRuleService service, HttpContext http, CancellationToken ct) =>
        SaveAsync(0, request, service, http, ct);

    private static Task<IResult> UpdateAsync(int id, MonitoringRuleRequest request, MonitoringRuleService service, HttpContext http, CancellationToken ct) =>
        SaveAsync(id, request, service, http, ct);

    private static async Task<IResult> DeleteAsync(int id, MonitoringRuleService service, HttpContext http, CancellationToken ct)
    {
        var existing = (await service.ListAsync(ct)).SingleOrDefault(r => r.Id == id);
        if (existing is null)
        {
            return NotFound();
        }
        if (existing.IsBuiltIn)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A built-in rule cannot be deleted",
                detail: $"Rule {id} is the default for {existing.Type} on every carrier and lane; switch it off with PUT (enabled: false) instead.");
        }
        // Deleted in between by someone else: the same answer as an unknown id.
        return await service.DeleteAsync(id, Actor.OfApiKey(http.User), ct) ? TypedResults.NoContent() : NotFound();
    }

    private static async Task<IResult> SaveAsync(int id, MonitoringRuleRequest request, MonitoringRuleService service, HttpContext http, CancellationToken ct)
    {
        var problems = MonitoringRuleService.Check(request);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var input = new MonitoringRuleInput(id, request.Type!.Value, request.ShipperCode, request.OriginProvince, request.DestinationProvince,
            request.ThresholdHours!.Value, request.Severity!.Value, request.DueWithinHours!.Value, request.Enabled ?? true);
        var result = await service.SaveAsync(input, Actor.OfApiKey(http.User), ct);
        var rules = await service.ListAsync(ct);
        if (result.Ok)
        {
            var view = MonitoringRuleView.From(rules.Single(r => r.Id == result.Id));
            return id == 0 ? TypedResults.Created($"/api/v1/monitoring-rules/{view.Id}", view) : TypedResults.Ok(view);
        }
        return result.ErrorKey switch
        {
            "Rules.Error.NotFound" => NotFound(),
            "Rules.Error.BuiltInScope" => BuiltInScope(rules.Single(r => r.Id == id), request).ToResult(),
            "Rules.Error.Duplicate" => FieldProblems.Of("type", Duplicate(rules, input)).ToResult(),
            // The checks above repeat the service's hour and length rules, so this is a backstop for a rule added there.
            _ => FieldProblems.Of("rule", "The rule was refused (" + result.ErrorKey + ").").ToResult(),
        };
    }

    private static FieldProblems BuiltInScope(MonitoringRule rule, MonitoringRuleRequest request)
    {
        const string why = "A built-in rule applies to every carrier and lane; add a new rule for one carrier or lane instead.";
        var problems = new FieldProblems();
        if (request.Type != rule.Type)
        {
            problems.Add("type", $"Rule {rule.Id} is the built-in {rule.Type} rule; its type cannot change.");
        }
        foreach (var (field, value) in new[] { ("shipperCode", request.ShipperCode), ("originProvince", request.OriginProvince), ("destinationProvince", request.DestinationProvince) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                problems.Add(field, why);
            }
        }
        return problems;
    }

    private static string Duplicate(IReadOnlyList<MonitoringRule> rules, MonitoringRuleInput input)
    {
        static string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        var code = Clean(input.ShipperCode)?.ToUpperInvariant();
        var (origin, destination) = (Clean(input.OriginProvince), Clean(input.DestinationProvince));
        var other = rules.FirstOrDefault(r => r.Id != input.Id && r.Type == input.Type && r.ShipperCode == code && r.OriginProvince == origin && r.DestinationProvince == destination);
        var lane = $"carrier {code ?? "any"}, origin {origin ?? "any"}, destination {destination ?? "any"}";
        return other is null
            ? $"A {input.Type} rule for {lane} exists already."
            : $"A {input.Type} rule for {lane} exists already (rule {other.Id}); change it with PUT /api/v1/monitoring-rules/{other.Id} instead.";
    }

    // A body of its own: an empty 404 would be re-executed by the status-code pages as a page request.
    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No monitoring rule has this id");
}
