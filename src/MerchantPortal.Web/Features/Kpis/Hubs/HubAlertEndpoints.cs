using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Kpis.Hubs;

public static class HubAlertEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var kpis = api.MapGroup("/kpis").WithTags("KPIs");
        kpis.MapGet("/hub-alerts", ListAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<HubAlertView>>()
            .WithName("ListHubAlerts")
            .WithSummary("Hubs (scan locations) whose exception rate over the recent days rose significantly above their own baseline (docs/kpis.md \"Hub alerts\"); open= narrows to open or closed alerts.");
        kpis.MapGet("/hub-alerts/{id:long}/shipments", ShipmentsAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<HubAlertShipment>>().Produces(StatusCodes.Status404NotFound)
            .WithName("ListHubAlertShipments")
            .WithSummary("The shipments involved in a hub alert: those with an exception scan at the hub in the alert's recent window.");
    }

    private static async Task<IReadOnlyList<HubAlertView>> ListAsync(bool? open, HubAlertQueries queries, CancellationToken ct) => await queries.ListAsync(open, ct: ct);

    private static async Task<IResult> ShipmentsAsync(long id, HubAlertQueries queries, CancellationToken ct) =>
        await queries.GetAsync(id, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await queries.ShipmentsAsync(id, ct));
}
