using System.ComponentModel.DataAnnotations;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Monitoring;

public static class ExceptionEndpoints
{
    /// <param name="Resolution">A note on how it was resolved, optional, at most 1000 characters.</param>
    /// <param name="Code">Why it was resolved (Delivered, Reshipped, Refunded, CarrierFound, CustomerContacted, FalseAlarm, Other); Other when absent.</param>
    public sealed record ResolveRequest([property: StringLength(1000)] string? Resolution = null, ResolutionCode? Code = null);

    /// <param name="Ids">The cases, 1 to 500.</param>
    /// <param name="Assignee">Who handles them (a user name such as ops@demo.local), 1 to 256 characters.</param>
    public sealed record BulkAssignRequest(IReadOnlyList<long>? Ids, string? Assignee);

    /// <param name="Ids">The cases, 1 to 500.</param>
    /// <param name="Code">Why they were resolved (required).</param>
    /// <param name="Resolution">A note, optional, at most 1000 characters.</param>
    public sealed record BulkResolveRequest(IReadOnlyList<long>? Ids, ResolutionCode? Code, [property: StringLength(1000)] string? Resolution = null);

    /// <param name="Done">The cases the action changed.</param>
    /// <param name="Closed">Cases already resolved (left as they were).</param>
    /// <param name="NotFound">Ids no case has.</param>
    public sealed record BulkResponse(IReadOnlyList<long> Done, IReadOnlyList<long> Closed, IReadOnlyList<long> NotFound);

    /// <param name="Text">The comment, 1 to 2000 characters (longer is refused with 400, never cut).</param>
    public sealed record CommentRequest(string? Text);

    /// <param name="Assignee">Who handles the case (a user name such as ops@demo.local), 1 to 256 characters.</param>
    public sealed record AssignRequest(string? Assignee);

    /// <param name="Text">What was agreed with the carrier, optional, at most 2000 characters (longer is refused with 400, never cut).</param>
    public sealed record CarrierContactRequest(string? Text = null);

    /// <param name="NextAfterId">Without sort: the afterId of the next page (null at the end).</param>
    /// <param name="NextOffset">With sort: the offset of the next page (null at the end).</param>
    public sealed record CasePage(IReadOnlyList<CaseRow> Items, long? NextAfterId, int? NextOffset = null);

    /// <param name="Open">Every case not resolved (Open and InProgress): the queue page's "All" chip.</param>
    /// <param name="ByType">Not-resolved cases per type, every type listed (0 when none): the queue page's type chips.</param>
    public sealed record CaseCounts(int Open, IReadOnlyDictionary<ExceptionType, int> ByType);

    /// <param name="Note">Why the reship, optional, at most 1000 characters (longer is refused with 400 naming "note", never cut).</param>
    // No [StringLength]: the service's own rule refuses a long note, so the problem says how long it was (as for comments).
    public sealed record ReshipRequest(string? Note = null);

    /// <param name="Lines">The lines of the case's order to take back, by SKU.</param>
    public sealed record StartReturnRequest(
        [property: Required] IReadOnlyList<Returns.ReturnEndpoints.ReturnLineRequest> Lines,
        Returns.ReturnReason Reason,
        Returns.ReturnResolution Resolution,
        [property: StringLength(500)] string? ReasonText = null);

    /// <param name="Id">The replacement order's id, or the return's.</param>
    /// <param name="Number">The replacement order number ("…-R1") or the RMA number.</param>
    /// <param name="AlreadyStarted">True when the case already had it (the call changed nothing).</param>
    public sealed record StartedResponse(long Id, string Number, bool AlreadyStarted);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/exceptions").WithTags("Exceptions");
        MapQueue(group);
        MapActions(group);
        MapStarts(group);
        MapBulk(group);
    }

    private static void MapBulk(RouteGroupBuilder group)
    {
        group.MapPost("/bulk/assign", BulkAssignAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("AssignExceptions")
            .WithSummary("Assigns up to 500 cases to one user, each as the single assign does (InProgress, a note, an audit entry; one commit per case). Answers which were done, which were already resolved and which ids no case has. 400 naming \"ids\" or \"assignee\".")
            .Produces<BulkResponse>().ProducesValidationProblem();

        group.MapPost("/bulk/resolve", BulkResolveAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("ResolveExceptions")
            .WithSummary("Resolves up to 500 cases with one reason code and optional note, each as the single resolve does (one commit per case). Answers which were done, already resolved or not found. 400 naming \"ids\", \"code\" or \"resolution\".")
            .Produces<BulkResponse>().ProducesValidationProblem();
    }

    private static FieldProblem? IdsProblem(IReadOnlyList<long>? ids) =>
        ids is not { Count: > 0 } ? new FieldProblem("ids", "Required", "Name at least one case id.")
        : ids.Count > ExceptionService.MaxBulk ? new FieldProblem("ids", "TooMany", $"At most {ExceptionService.MaxBulk} cases at once; this request names {ids.Count}.")
        : ids.Any(id => id <= 0) ? new FieldProblem("ids", "Invalid", "Case ids are positive numbers.")
        : null;

    private static BulkResponse Bulk(BulkOutcome outcome) => new(
        [.. outcome.ByCase.Where(x => x.Value == CaseActionOutcome.Done).Select(x => x.Key)],
        [.. outcome.ByCase.Where(x => x.Value == CaseActionOutcome.Closed).Select(x => x.Key)],
        [.. outcome.ByCase.Where(x => x.Value == CaseActionOutcome.NotFound).Select(x => x.Key)]);

    private static async Task<IResult> BulkAssignAsync(BulkAssignRequest request, ExceptionService service, HttpContext http, CancellationToken ct)
    {
        if ((IdsProblem(request.Ids) ?? ExceptionService.AssigneeProblem(request.Assignee)) is { } problem)
        {
            return new FieldProblems([problem]).ToResult();
        }
        return TypedResults.Ok(Bulk(await service.AssignManyAsync(request.Ids!, request.Assignee, Actor.OfApiKey(http.User), ct)));
    }

    private static async Task<IResult> BulkResolveAsync(BulkResolveRequest request, ExceptionService service, HttpContext http, CancellationToken ct)
    {
        var problem = IdsProblem(request.Ids)
            ?? (request.Code is null ? new FieldProblem("code", "Required", "Say why the cases were resolved: " + string.Join(", ", Enum.GetNames<ResolutionCode>()) + ".") : null)
            ?? (request.Resolution?.Trim() is { Length: > ExceptionService.MaxResolution } ? new FieldProblem("resolution", "TooLong", $"A resolution has at most {ExceptionService.MaxResolution} characters.") : null);
        if (problem is not null)
        {
            return new FieldProblems([problem]).ToResult();
        }
        return TypedResults.Ok(Bulk(await service.ResolveManyAsync(request.Ids!, request.Code!.Value, request.Resolution, Actor.OfApiKey(http.User), ct)));
    }

    private static void MapQueue(RouteGroupBuilder group)
    {
        group.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsRead))
            .WithName("ListExceptions")
            .WithSummary("Exception cases. Without sort: newest first with keyset paging (pass nextAfterId as afterId). With sort (Urgency — the queue page's default —, Due, Age, OrderValue, Carrier, Newest): offset paging (pass nextOffset as offset). Without status: the open queue (Open and InProgress). Filters: type, severity, carrier, assignee (\"\" = unassigned), returnId. Each row carries its parcel's last 3 scans (lastScans, newest first), its urgency (urgentAt: earlier is more urgent), the order value and whether the customer can already see the problem. A PickupNoShow case is about a return: trackingNo and shipmentId may be null, returnId and rmaNo are set.")
            .Produces<CasePage>();

        group.MapGet("/counts", CountAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsRead))
            .WithName("CountExceptions")
            .WithSummary("How many cases per type under the same filters as the list (status, severity, carrier, assignee; without status: not resolved), and their sum: the counts on the exception queue page's chips, each equal to the length of the list its type shows.")
            .Produces<CaseCounts>();

        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsRead))
            .WithName("GetException")
            .WithSummary("One exception case as its page shows it: the case, its resolution, the reship order and return it started, and its history (notes, oldest first: assignments, carrier contacts, customer notifications, comments, reship, return, resolution). Mobile numbers typed into notes or the resolution are masked unless the key has pii:read.")
            .Produces<CaseDetail>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapActions(RouteGroupBuilder group)
    {
        group.MapPost("/{id:long}/assign", AssignAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("AssignException")
            .WithSummary("Assigns an open case to a user (the case becomes InProgress; a note \"assigned\" in its history; audited), as the case page's Assign button does. Assigning again reassigns. 400 naming \"assignee\" when it is blank or over 256 characters; 409 when the case is resolved.")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id:long}/carrier-contacts", NoteCarrierContactAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("RecordExceptionCarrierContact")
            .WithSummary("Records that the carrier was contacted about an open case, with an optional note (audited), as the case page's \"carrier contacted\" button does. The text has at most 2000 characters: a longer one is refused with 400 naming \"text\", never shortened. 409 when the case is resolved.")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id:long}/notify-customer", NotifyCustomerAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("NotifyExceptionCustomer")
            .WithSummary("Queues the \"exception\" message to the case's customer (the notification dispatcher sends it, or skips it if they opted out) and notes it in the case's history (audited), as the case page's button does. Each call queues one message: send an Idempotency-Key to retry safely. 409 when the case is resolved.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id:long}/resolve", ResolveAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("ResolveException")
            .WithSummary("Resolves an open exception case with a reason code (Other when absent) and an optional resolution note (audited). 409 when it is already resolved.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id:long}/comments", CommentAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("CommentOnException")
            .WithSummary("Adds a comment to the case's history (also on a resolved case; audited). The text has 1 to 2000 characters: a longer one is refused with 400 naming \"text\", never shortened.")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapStarts(RouteGroupBuilder group)
    {
        group.MapPost("/{id:long}/reship", StartReshipAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("StartExceptionReship")
            .WithSummary("Creates the replacement order of the case's order (receiver and lines copied, number \"{orderNo}-R{n}\", PendingReview for Ops to approve and ship) and links it to the case. Idempotent per case: again → 200 with the same order. The optional note has at most 1000 characters: a longer one is refused with 400 naming \"note\", never shortened.")
            .Produces<StartedResponse>(StatusCodes.Status201Created).Produces<StartedResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id:long}/return", StartReturnAsync)
            // Both: it acts on the case and creates a return.
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
            .WithName("StartExceptionReturn")
            .WithSummary("Opens a return for lines of the case's order (the returns API's validation: shipped lines, never more than shipped minus earlier returns) and links it to the case. While that return is open, again → 200 with it. Needs exceptions:write and returns:write.")
            .Produces<StartedResponse>(StatusCodes.Status201Created).Produces<StartedResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<CasePage>> ListAsync(CaseStatus? status, ExceptionType? type, ExceptionSeverity? severity, string? carrier, string? assignee, long? returnId,
        CaseSort? sort, long? afterId, int? offset, int? limit, ExceptionQueries queries, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 500);
        var filter = new CaseFilter(status, type, carrier, assignee, IncludeResolved: false, ReturnId: returnId, Severity: severity);
        if (sort is { } order)
        {
            var skip = Math.Max(0, offset ?? 0);
            var sorted = await queries.ListAsync(filter, order, skip, take + 1, ct);
            return TypedResults.Ok(new CasePage([.. sorted.Take(take)], null, sorted.Count > take ? skip + take : null));
        }
        var rows = await queries.ListAsync(filter, afterId, take + 1, ct);
        var page = rows.Take(take).ToList();
        return TypedResults.Ok(new CasePage(page, rows.Count > take ? page[^1].Id : null));
    }

    private static async Task<Ok<CaseCounts>> CountAsync(CaseStatus? status, ExceptionSeverity? severity, string? carrier, string? assignee, ExceptionQueries queries, CancellationToken ct)
    {
        var counts = await queries.CountsAsync(new CaseFilter(status, null, carrier, assignee, Severity: severity), ct);
        // Every type, so a client can show the same chips as the page without knowing the enum.
        var byType = Enum.GetValues<ExceptionType>().ToDictionary(t => t, t => counts.GetValueOrDefault(t));
        return TypedResults.Ok(new CaseCounts(byType.Values.Sum(), byType));
    }

    private static async Task<IResult> GetAsync(long id, ExceptionQueries queries, HttpContext http, CancellationToken ct) =>
        await queries.GetAsync(id, ApiScopes.SeesFullPii(http.User), ct) is { } detail ? TypedResults.Ok(detail) : CaseNotFound();

    private static async Task<IResult> AssignAsync(long id, AssignRequest request, ExceptionService service, HttpContext http, CancellationToken ct) =>
        ExceptionService.AssigneeProblem(request.Assignee) is { } problem
            ? new FieldProblems([problem]).ToResult()
            : CaseActed(id, await service.AssignAsync(id, request.Assignee, Actor.OfApiKey(http.User), ct), "assignee", "The assignee was refused.");

    private static async Task<IResult> NoteCarrierContactAsync(long id, CarrierContactRequest? request, ExceptionService service, HttpContext http, CancellationToken ct) =>
        ExceptionService.CarrierContactProblem(request?.Text) is { } problem
            ? new FieldProblems([problem]).ToResult()
            : CaseActed(id, await service.NoteCarrierContactAsync(id, request?.Text, Actor.OfApiKey(http.User), ct), "text", "The note was refused.");

    private static async Task<IResult> NotifyCustomerAsync(long id, ExceptionService service, HttpContext http, CancellationToken ct) =>
        CaseActed(id, await service.NotifyCustomerAsync(id, Actor.OfApiKey(http.User), ct), "case", "Refused.");

    private static async Task<IResult> ResolveAsync(long id, ResolveRequest? request, ExceptionService service, HttpContext http, CancellationToken ct) =>
        await service.ResolveAsync(id, request?.Code ?? ResolutionCode.Other, request?.Resolution, Actor.OfApiKey(http.User), ct) switch
        {
            CaseActionOutcome.Done => TypedResults.NoContent(),
            CaseActionOutcome.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already resolved"),
            CaseActionOutcome.Invalid => FieldProblems.Of("resolution", $"A resolution has at most {ExceptionService.MaxResolution} characters.").ToResult(),
            _ => CaseNotFound(),
        };

    private static async Task<IResult> CommentAsync(long id, CommentRequest request, ExceptionService service, HttpContext http, CancellationToken ct)
    {
        // Checked here as well as in the service so the problem carries the service's reason (which field, why).
        if (ExceptionService.CommentProblem(request.Text) is { } problem)
        {
            return new FieldProblems([problem]).ToResult();
        }
        return await service.CommentAsync(id, request.Text!, Actor.OfApiKey(http.User), ct) switch
        {
            CaseActionOutcome.Done => TypedResults.NoContent(),
            CaseActionOutcome.Invalid => FieldProblems.Of("text", "The comment was refused.").ToResult(),
            _ => CaseNotFound(),
        };
    }

    private static async Task<IResult> StartReshipAsync(long id, ReshipRequest? request, ExceptionService service, HttpContext http, CancellationToken ct) =>
        Started(id, await service.StartReshipAsync(id, request?.Note, Actor.OfApiKey(http.User), ct), "/api/v1/orders/");

    private static async Task<IResult> StartReturnAsync(long id, StartReturnRequest request, ExceptionService service, HttpContext http, CancellationToken ct)
    {
        var lines = (request.Lines ?? []).Select(l => new Returns.NewReturnLine(l.Sku, l.Quantity)).ToList();
        return Started(id, await service.StartReturnAsync(id, lines, request.Reason, request.ReasonText, request.Resolution, Actor.OfApiKey(http.User), ct), "/api/v1/returns/");
    }

    // A body of its own: an empty 404 would be re-executed by the status-code pages as POST /not-found.
    private static IResult CaseNotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No exception case has this id");

    /// <summary>The answer of a plain case action (assign, carrier contact, notify): the resolve endpoint's statuses.</summary>
    private static IResult CaseActed(long caseId, CaseActionOutcome outcome, string field, string refused) => outcome switch
    {
        CaseActionOutcome.Done => TypedResults.NoContent(),
        CaseActionOutcome.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The case is resolved", detail: $"Case {caseId} is resolved; its actions are closed (comments are still accepted)."),
        // The endpoints check the input first with the service's own rule, so this is a backstop.
        CaseActionOutcome.Invalid => FieldProblems.Of(field, refused).ToResult(),
        _ => CaseNotFound(),
    };

    private static IResult Started(long caseId, CaseStartOutcome outcome, string location) => outcome.Outcome switch
    {
        CaseActionOutcome.Done when outcome.AlreadyStarted => TypedResults.Ok(new StartedResponse(outcome.Id!.Value, outcome.Number!, true)),
        CaseActionOutcome.Done => TypedResults.Created(location + (location.EndsWith("orders/", StringComparison.Ordinal) ? Uri.EscapeDataString(outcome.Number!) : outcome.Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new StartedResponse(outcome.Id!.Value, outcome.Number!, false)),
        CaseActionOutcome.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The case is resolved", detail: $"Case {caseId} is resolved; its actions are closed."),
        CaseActionOutcome.Invalid => new FieldProblems(outcome.Problems!).ToResult(),
        _ => CaseNotFound(),
    };
}
