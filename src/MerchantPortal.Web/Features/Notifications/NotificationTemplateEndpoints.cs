using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// /api/v1/notification-templates: what /admin/notifications does (list, edit a template), for systems. Admin scope, as
/// the page is Admin-only; saves go through <see cref="NotificationAdmin"/>, the page's service (audited alike).
/// </summary>
public static class NotificationTemplateEndpoints
{
    /// <summary>The service's limits (NotificationAdmin.SaveTemplateAsync), repeated here to name the field in the problem.</summary>
    public const int MaxSubject = 200;
    public const int MaxBody = 1000;

    /// <param name="Subject">The e-mail subject (SMS sends the body only), at most 200 characters; may be empty.</param>
    /// <param name="Body">The message, 1 to 1000 characters (longer is refused with 400, never cut).</param>
    /// <param name="Enabled">False: this milestone sends nothing in this language.</param>
    public sealed record TemplateRequest(string? Subject, string? Body, bool Enabled = true);

    public sealed record TemplateView(int Id, NotificationMilestone Milestone, string Culture, string Subject, string Body, bool Enabled, DateTime UpdatedAtUtc)
    {
        public static TemplateView From(NotificationTemplate t) => new(t.Id, t.Milestone, t.Culture, t.Subject, t.Body, t.Enabled, t.UpdatedAtUtc);
    }

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notification-templates").WithTags("Notifications").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));

        group.MapGet("/", ListAsync)
            .Produces<List<TemplateView>>()
            .WithName("ListNotificationTemplates")
            .WithSummary("The customer message templates per milestone and language (zh-CN, en), as /admin/notifications lists them.");

        group.MapPut("/{id:int}", UpdateAsync)
            .Produces<TemplateView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("UpdateNotificationTemplate")
            .WithSummary("Changes a template's subject, body and on/off (audited), as the page's Save does. 400 naming subject or body when one is too long or the body is empty; 404 when no template has this id.");
    }

    private static async Task<Ok<List<TemplateView>>> ListAsync(NotificationAdmin admin, CancellationToken ct) =>
        TypedResults.Ok((await admin.TemplatesAsync(ct)).Select(TemplateView.From).ToList());

    private static async Task<IResult> UpdateAsync(int id, TemplateRequest request, NotificationAdmin admin, HttpContext http, CancellationToken ct)
    {
        var problems = NotificationAdmin.TemplateProblems(request.Subject, request.Body);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        // The input was checked above with the service's limits, so false here means the id is unknown.
        if (!await admin.SaveTemplateAsync(id, request.Subject ?? "", request.Body!, request.Enabled, Actor.OfApiKey(http.User), ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No notification template has this id");
        }
        return TypedResults.Ok(TemplateView.From((await admin.TemplatesAsync(ct)).Single(t => t.Id == id)));
    }
}
