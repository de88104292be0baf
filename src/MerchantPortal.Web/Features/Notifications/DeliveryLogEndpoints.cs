using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// What /notifications/log does (the sent log by recipient, unsent messages, opt-outs), for systems: a help-desk tool
/// checking what a customer was sent, or a CRM feeding "do not contact" requests. notifications:read and
/// notifications:write, as the page is Ops-only. Phone numbers and e-mail addresses are customers' personal data: they
/// come whole only to a key that also has pii:read, masked otherwise (R6), like the orders API.
/// </summary>
public static class DeliveryLogEndpoints
{
    public const int MaxLimit = NotificationAdmin.MaxLogLimit;
    /// <summary>The page's recipient filter and opt-out field.</summary>
    public const int MaxAddress = NotificationAdmin.MaxAddress;

    /// <param name="Recipient">The phone number or e-mail address it went to (masked without pii:read).</param>
    /// <param name="Provider">Who took it: "aliyun", "tencent", "smtp", "http-gateway"; "log" (development, nothing sent) or "none" (not configured).</param>
    /// <param name="ProviderMessageId">The provider's id (Alibaba BizId, Tencent SerialNo, SMTP Message-Id).</param>
    /// <param name="State">Sent (the provider accepted it), Delivered or Failed (its receipt), LoggedNotSent, NotConfigured.</param>
    /// <param name="StateDetail">The receipt's own code ("DELIVRD", "IS_CLOSE"…).</param>
    public sealed record DeliveryView(long Id, long OutboxId, NotificationChannel Channel, string Recipient, string? Subject, string Body, string Provider, DateTime SentAtUtc,
        string? ProviderMessageId, DeliveryState State, DateTime? StateAtUtc, string? StateDetail);

    /// <param name="Items">Newest first.</param>
    /// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null when there is none.</param>
    public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, long? NextBefore);

    /// <param name="Note">Why it was not sent (yet), as stored: "Opted out", "No phone or e-mail", "Sms: …" for a provider's refusal.</param>
    /// <param name="NoteCode">The note's kind: OptedOut, NoRecipient, NoSubscription, NoTemplate, SendFailed or Error; null without a note.</param>
    public sealed record UnsentView(long Id, string EventType, OutboxStatus Status, int Attempts, DateTime NextAttemptAtUtc, DateTime CreatedAtUtc, string? Note, string? NoteCode);

    /// <param name="Address">Digits of a phone number (last 11) or a lower-case e-mail (masked without pii:read).</param>
    public sealed record OptOutView(int Id, string Address, string? Reason, string CreatedBy, DateTime CreatedAtUtc);

    /// <param name="Address">A phone number (any punctuation, +86 allowed) or an e-mail address.</param>
    /// <param name="Reason">Optional, at most 200 characters (longer is refused, never cut).</param>
    public sealed record OptOutRequest(string? Address, string? Reason);

    public static void Map(RouteGroupBuilder api)
    {
        var log = api.MapGroup("/notifications").WithTags("Notifications");
        log.MapGet("/deliveries", ListDeliveriesAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.NotificationsRead))
            .Produces<DeliveryPage>().ProducesValidationProblem()
            .WithName("ListNotificationDeliveries")
            .WithSummary("The delivery log of /notifications/log: customer messages with their true state (sent = a provider accepted it, delivered/failed = its receipt, loggedNotSent, notConfigured) and the provider's message id, newest first, limit (1–500, default 50) per page; recipient filters by part of the phone number or e-mail; before pages on. Recipients masked unless the key has pii:read. 400 naming the parameter when one is out of range.");

        log.MapGet("/unsent", ListUnsentAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.NotificationsRead))
            .Produces<List<UnsentView>>().ProducesValidationProblem()
            .WithName("ListUnsentNotifications")
            .WithSummary("Customer messages not sent (yet), newest first (limit 1–500, default 100), as the page's Unsent tab: waiting for a retry, failed, or skipped, with why (note and noteCode).");

        var optOuts = api.MapGroup("/notification-opt-outs").WithTags("Notifications");
        optOuts.MapGet("/", ListOptOutsAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.NotificationsRead))
            .Produces<List<OptOutView>>()
            .WithName("ListNotificationOptOuts")
            .WithSummary("Addresses that get no customer messages, newest first (the latest 500), as the page's Opt-outs tab; addresses masked unless the key has pii:read.");

        optOuts.MapPost("/", AddOptOutAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.NotificationsWrite))
            .Produces<OptOutView>(StatusCodes.Status201Created).Produces<OptOutView>().ProducesValidationProblem()
            .WithName("AddNotificationOptOut")
            .WithSummary("Records that a phone number or e-mail gets no more customer messages (audited): 201 with the entry, 200 with the existing one when the address has opted out already. 400 naming address (not a phone number or e-mail) or reason (over 200 characters); nothing is stored then.");

        optOuts.MapDelete("/{id:int}", RemoveOptOutAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.NotificationsWrite))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("RemoveNotificationOptOut")
            .WithSummary("Removes an opt-out (audited): the address gets customer messages again. 404 when no opt-out has this id.");
    }

    private static async Task<IResult> ListDeliveriesAsync(string? recipient, long? before, int? limit, NotificationAdmin admin, HttpContext http, CancellationToken ct)
    {
        var problems = NotificationAdmin.DeliveryLogProblems(recipient, before, limit);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var size = limit ?? 50;
        var rows = await admin.DeliveryLogAsync(recipient, before, size + 1, ct);
        var whole = ApiScopes.SeesFullPii(http.User);
        var items = rows.Take(size).Select(r => new DeliveryView(r.Id, r.OutboxId, r.Channel, whole ? r.Recipient : MaskAddress(r.Recipient), r.Subject, r.Body, r.Provider, r.SentAtUtc,
            r.ProviderMessageId, r.State, r.StateAtUtc, r.StateDetail)).ToList();
        return TypedResults.Ok(new DeliveryPage(items, rows.Count > size ? items[^1].Id : null));
    }

    private static async Task<IResult> ListUnsentAsync(int? limit, NotificationAdmin admin, CancellationToken ct)
    {
        var problems = NotificationAdmin.LimitProblems(limit);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var rows = await admin.UnsentAsync(limit ?? 100, ct);
        return TypedResults.Ok(rows.Select(r => new UnsentView(r.Id, r.EventType, r.Status, r.Attempts, r.NextAttemptAtUtc, r.CreatedAtUtc, r.LastError,
            r.LastError is { } note ? OutboxNotes.Classify(note).Code : null)).ToList());
    }

    private static async Task<Ok<List<OptOutView>>> ListOptOutsAsync(NotificationAdmin admin, HttpContext http, CancellationToken ct)
    {
        var whole = ApiScopes.SeesFullPii(http.User);
        return TypedResults.Ok((await admin.OptOutsAsync(ct)).Select(o => View(o, whole)).ToList());
    }

    private static async Task<IResult> AddOptOutAsync(OptOutRequest request, NotificationAdmin admin, HttpContext http, CancellationToken ct)
    {
        var problems = NotificationAdmin.OptOutAddressProblems(request.Address);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var (outcome, optOut) = await admin.AddOptOutAsync(request.Address!, request.Reason, Actor.OfApiKey(http.User), ct);
        var whole = ApiScopes.SeesFullPii(http.User);
        return outcome switch
        {
            OptOutOutcome.BadAddress => FieldProblems.Of("address", "address is not a phone number or an e-mail address.").ToResult(),
            OptOutOutcome.ReasonTooLong => FieldProblems.Of("reason",
                $"reason has at most {NotificationAdmin.MaxOptOutReason} characters; it had {request.Reason!.Trim().Length}. Nothing was recorded.").ToResult(),
            // Asking twice is harmless: the first entry stands and is answered again.
            OptOutOutcome.AlreadyOptedOut => TypedResults.Ok(View(optOut!, whole)),
            _ => TypedResults.Created($"/api/v1/notification-opt-outs/{optOut!.Id}", View(optOut, whole)),
        };
    }

    private static async Task<IResult> RemoveOptOutAsync(int id, NotificationAdmin admin, HttpContext http, CancellationToken ct) =>
        await admin.RemoveOptOutAsync(id, Actor.OfApiKey(http.User), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No opt-out has this id");

    private static OptOutView View(NotificationOptOut o, bool whole) => new(o.Id, whole ? o.Address : MaskAddress(o.Address), o.Reason, o.CreatedBy, o.CreatedAtUtc);

    /// <summary>A phone keeps its first 3 and last 4 digits; an e-mail its first letter and its domain (w***@example.com).</summary>
    public static string MaskAddress(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? Pii.MaskPhone(address) : string.Concat(address.AsSpan(0, Math.Min(1, at)), "***", address.AsSpan(at));
    }
}
