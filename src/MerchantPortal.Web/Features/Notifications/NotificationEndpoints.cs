using System.ComponentModel.DataAnnotations;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Notifications;

public static class NotificationEndpoints
{
    public sealed record WebhookSubscriptionRequest(
        [property: Required, StringLength(100)] string Name,
        [property: Required, StringLength(500)] string Url,
        [property: Required] string[] EventTypes,
        bool Enabled = true);

    public sealed record CreatedWebhookSubscription(WebhookSubscriptionView Subscription, string Secret);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhook-subscriptions").WithTags("Webhooks").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));

        group.MapGet("/", ListAsync)
            .WithName("ListWebhookSubscriptions").WithSummary("Webhook subscriptions (secrets are never returned).")
            .Produces<IReadOnlyList<WebhookSubscriptionView>>();

        group.MapPost("/", CreateAsync)
            .WithName("CreateWebhookSubscription")
            .WithSummary("Subscribes a URL to event types (" + "shipment.status_changed, exception.opened, exception.resolved, refund.requested, return.status_changed" + "). The signing secret is in this response only.")
            .Produces<CreatedWebhookSubscription>(StatusCodes.Status201Created).ProducesValidationProblem();

        group.MapPut("/{id:int}", UpdateAsync)
            .WithName("UpdateWebhookSubscription").WithSummary("Changes a subscription's name, URL, event types or switch; the secret stays.")
            .Produces<WebhookSubscriptionView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}", DeleteAsync)
            .WithName("DeleteWebhookSubscription").WithSummary("Deletes a subscription and its delivery log.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/rotate-secret", RotateSecretAsync)
            .WithName("RotateWebhookSecret")
            .WithSummary("A new whsec_ secret, answered once; the previous one keeps signing beside it (two signatures in webhook-signature) for 24 hours, so the receiver can switch without losing events.")
            .Produces<WebhookSaveResult>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:int}/deliveries", DeliveriesAsync)
            .WithName("ListWebhookDeliveries").WithSummary("The subscription's last 100 deliveries: status, attempts, next attempt, last HTTP status or error.")
            .Produces<IReadOnlyList<WebhookDeliveryView>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<IReadOnlyList<WebhookSubscriptionView>>> ListAsync(WebhookService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct));

    private static async Task<IResult> CreateAsync(WebhookSubscriptionRequest request, WebhookService service, HttpContext http, CancellationToken ct)
    {
        var result = await service.CreateAsync(new WebhookSubscriptionInput(request.Name, request.Url, request.EventTypes ?? [], request.Enabled), Actor.OfApiKey(http.User), ct);
        return result.Ok
            ? TypedResults.Created($"/api/v1/webhook-subscriptions/{result.Subscription!.Id}", new CreatedWebhookSubscription(result.Subscription, result.Secret!))
            : Invalid(result.Error!);
    }

    private static async Task<IResult> UpdateAsync(int id, WebhookSubscriptionRequest request, WebhookService service, HttpContext http, CancellationToken ct)
    {
        var result = await service.UpdateAsync(id, new WebhookSubscriptionInput(request.Name, request.Url, request.EventTypes ?? [], request.Enabled), Actor.OfApiKey(http.User), ct);
        return result.Ok ? TypedResults.Ok(result.Subscription) : result.Error == "not-found" ? NotFound() : Invalid(result.Error!);
    }

    private static async Task<IResult> DeleteAsync(int id, WebhookService service, HttpContext http, CancellationToken ct) =>
        await service.DeleteAsync(id, Actor.OfApiKey(http.User), ct) ? TypedResults.NoContent() : NotFound();

    private static async Task<IResult> RotateSecretAsync(int id, WebhookService service, HttpContext http, CancellationToken ct) =>
        await service.RotateSecretAsync(id, Actor.OfApiKey(http.User), ct) is { Ok: true } rotated ? TypedResults.Ok(rotated) : NotFound();

    private static async Task<IResult> DeliveriesAsync(int id, WebhookService service, CancellationToken ct) =>
        (await service.ListAsync(ct)).Any(s => s.Id == id) ? TypedResults.Ok(await service.DeliveriesAsync(id, 100, ct)) : NotFound();

    /// <summary>With a body: an empty 404 would be re-executed by the status-code pages as a request for /not-found.</summary>
    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No webhook subscription has this id");

    private static IResult Invalid(string field) => FieldProblems.Of(field, field switch
    {
        "url" => "An absolute https URL of at most 500 characters to a public internet address is required (no private, link-local or loopback address; plain http only to localhost where loopback is allowed).",
        "eventTypes" => "One or more of: " + string.Join(", ", WebhookEvents.All),
        _ => "A name of at most 100 characters is required.",
    }).ToResult();
}
