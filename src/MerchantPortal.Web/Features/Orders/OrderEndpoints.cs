using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Orders;

public static class OrderEndpoints
{
    public sealed record ReceiverRequest(
        [property: Required, StringLength(100)] string Name,
        [property: Required, StringLength(30)] string Mobile,
        [property: Required, StringLength(20)] string Province,
        [property: StringLength(50)] string? City,
        [property: StringLength(50)] string? District,
        [property: Required, StringLength(300)] string Address,
        [property: StringLength(10)] string? Postcode);

    public sealed record LineRequest(
        [property: StringLength(64)] string? Sku,
        [property: Required, StringLength(300)] string Name,
        [property: Range(1, 10_000)] int Quantity,
        [property: Range(0, 100_000_000)] decimal UnitPrice,
        [property: Range(0, 10_000)] decimal WeightKg);

    public const int MaxBulkOrders = 1000;

    public sealed record BulkActionRequest(string? Action, IReadOnlyList<string?>? OrderNos);

    public sealed record BulkActionResponse(int Changed, IReadOnlyList<TransitionResult> Results);

    public sealed record CreateOrderRequest(
        [property: Required, StringLength(64, MinimumLength = 1)] string OrderNo,
        [property: StringLength(30)] string? Channel,
        [property: Required] ReceiverRequest Receiver,
        [property: Required, MinLength(1)] LineRequest[] Lines,
        [property: StringLength(500)] string? Remark,
        // The buyer's e-mail: customer messages then go by e-mail too, in Language (zh-CN or en; default zh-CN).
        [property: EmailAddress, StringLength(256)] string? Email = null,
        [property: RegularExpression("^(zh-CN|en)$", ErrorMessage = "language is zh-CN or en.")] string? Language = null,
        // The shop's code (GET /api/v1/shops); its platform is the channel when channel is not given.
        [property: StringLength(32)] string? Shop = null);

    public sealed record OrderListResponse(IReadOnlyList<OrderRow> Items, string? NextCursor);

    public sealed record ImportAccepted(long Id);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        MapOrders(api.MapGroup("/orders").WithTags("Orders"));
        MapImports(api.MapGroup("/order-imports").WithTags("Orders"));
        MapDownloads(app);
    }

    private static void MapOrders(RouteGroupBuilder orders)
    {
        orders.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
          .WithName("CreateOrder").WithSummary("Creates an order (PendingReview). Idempotent on orderNo: the same content again answers 200 with the order, other content 409. shop names the shop by code (400 naming it when no active shop has it); lines without a weight whose sku is in the catalogue take its weight × quantity.");

        orders.MapGet("/{orderNo}", GetAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("GetOrder").WithSummary("One order with lines and history; phone and address masked unless the key has pii:read. expectedDelivery is the portal's prediction for its outgoing parcels still on their way (the last to arrive; null when none has one yet), carrierEstimatedDelivery the carrier's own.");

        orders.MapGet("/{orderNo}/story", GetStoryAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<StoryEvent>>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetOrderStory").WithSummary("The order's story, newest first, as its page shows it: its own history, parcel registrations, every carrier scan (kind ScanInFuture / ScanContradicts for doubtful ones), exception cases, returns, pickups and refunds. kind names the event; detail is the data as written; phone numbers in free text are masked unless the key has pii:read.");

        orders.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<OrderListResponse>().ProducesValidationProblem()
            .WithName("ListOrders").WithSummary("Orders matching the filters, in the order sort names (default Newest): " + OrderSorts.Allowed
                + ". shop is a shop's code or id (400 when there is none). Orders without a paid time or a carrier come last either way. q matches an order number or its start (4 characters or more), a tracking number, a receiver name, a phone or its last 4 digits. Pass nextCursor back as cursor for the next page (with the same sort); 400 naming sort with the allowed values when sort is not one of them.");

        // Approve, hold and cancel one order, as the orders page's buttons do for a selection.
        foreach (var (action, path, name, summary) in new[]
        {
            (OrderAction.Approve, "approve", "ApproveOrder", "Approves an order in PendingReview or OnHold; approving an approved order is a no-op 200."),
            (OrderAction.Hold, "hold", "HoldOrder", "Puts an order in PendingReview or Approved on hold; holding a held order is a no-op 200."),
            (OrderAction.Cancel, "cancel", "CancelOrder", "Cancels an order in PendingReview, Approved or OnHold; cancelling a cancelled order is a no-op 200."),
        })
        {
            orders.MapPost("/{orderNo}/" + path, (string orderNo, OrderService service, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
                    TransitionAsync(action, orderNo, service, queries, user, ct))
                .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite)).WithName(name).WithSummary(summary);
        }

        // The page's bulk buttons: one action over up to 1,000 orders, each order told apart (changed, or its status now).
        orders.MapPost("/actions", ApplyBulkAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
          .WithName("ApplyOrderAction").WithSummary("Approve, Hold or Cancel for up to 1,000 orders at once, as the orders page's bulk buttons: each result says changed, or the order's status now (null: no such order).");
    }

    private static void MapImports(RouteGroupBuilder imports)
    {
        imports.MapPost("/", StartImportAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite)).DisableAntiforgery()
          // The file limit plus room for the multipart envelope; larger bodies are cut off by Kestrel with a 413.
          .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(OrderImportService.MaxFileBytes + 64 * 1024))
          .WithFormOptions(multipartBodyLengthLimit: OrderImportService.MaxFileBytes + 64 * 1024)
          .WithName("StartOrderImport").WithSummary("Uploads a CSV or XLSX order file (multipart field 'file') and starts its import; 202 with the import id.");

        imports.MapGet("/{id:long}", GetImportAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("GetOrderImport").WithSummary("Status, counters and rejected rows (row, column, value, reason, orderNo) of an import.");
    }

    /// <summary>Browser downloads (cookie auth): what the list shows, masked for roles without full PII.</summary>
    private static void MapDownloads(WebApplication app)
    {
        app.MapGet("/orders/export", ExportAsync).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
        app.MapGet("/orders/imports/{id:long}/errors.csv", ImportErrorsCsvAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
    }

    private static async Task<IResult> CreateAsync(CreateOrderRequest request, OrderService service, OrderQueries queries, ShopService shops, RegionCatalog regions, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = OrderService.Check(request, regions, out var input);
        ShopView? shop = null;
        if (!string.IsNullOrWhiteSpace(request.Shop) && (shop = await shops.FindAsync(request.Shop, ct)) is not { Active: true })
        {
            problems.Add("shop", $"shop '{request.Shop.Trim()}' is not an active shop's code (GET /api/v1/shops lists them).");
        }
        if (problems.Any)
        {
            return problems.ToResult();
        }
        if (shop is not null)
        {
            input = input! with { ShopId = shop.Id, Channel = request.Channel is null ? shop.Platform : input.Channel };
        }
        var (outcome, orderNo) = await service.CreateAsync(input!, Actor.OfApiKey(user), ct);
        if (outcome == CreateOutcome.Conflict)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order number already used",
                detail: $"Order {orderNo} already exists with different content; change it in the portal or use another order number.");
        }
        var detail = await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct);
        return outcome == CreateOutcome.Created ? TypedResults.Created($"/api/v1/orders/{Uri.EscapeDataString(orderNo)}", detail) : TypedResults.Ok(detail);
    }

    private static async Task<IResult> GetAsync(string orderNo, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static async Task<IResult> GetStoryAsync(string orderNo, OrderQueries queries, OrderStory story, ClaimsPrincipal user, CancellationToken ct) =>
        await queries.GetAsync(orderNo, false, ct) is { } detail
            ? TypedResults.Ok(await story.ForOrderAsync(detail.Order.Id, ApiScopes.SeesFullPii(user), ct))
            : TypedResults.NotFound();

    private static async Task<IResult> ListAsync([AsParameters] OrderListQuery q, OrderQueries queries, ShopService shops, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = OrderSorts.Problems(q.Sort);
        var (filter, shopProblems) = await q.ToFilterAsync(shops, ct);
        problems.Add(shopProblems);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var page = await queries.ListAsync(filter, q.Cursor, Math.Clamp(q.Limit ?? 50, 1, 500), ApiScopes.SeesFullPii(user), ct);
        return TypedResults.Ok(new OrderListResponse(page.Items, page.NextCursor));
    }

    private static async Task<IResult> TransitionAsync(OrderAction action, string orderNo, OrderService service, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = (await service.ApplyAsync(action, [orderNo], Actor.OfApiKey(user), ct: ct)).Single();
        if (result.CurrentStatus is null)
        {
            return TypedResults.NotFound();
        }
        var target = OrderService.Transitions[action].To;
        if (!result.Changed && result.CurrentStatus != target)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Order cannot be {target}",
                detail: $"Order {orderNo} is {result.CurrentStatus}.");
        }
        return TypedResults.Ok(await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct));
    }

    private static async Task<IResult> ApplyBulkAsync(BulkActionRequest request, OrderService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = OrderService.CheckBulk(request.Action, request.OrderNos, MaxBulkOrders, out var action, out var orderNos);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var results = await service.ApplyAsync(action, orderNos, Actor.OfApiKey(user), ct: ct);
        return TypedResults.Ok(new BulkActionResponse(results.Count(r => r.Changed), results));
    }

    private static async Task<IResult> StartImportAsync(IFormFile file, OrderImportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (file.Length > OrderImportService.MaxFileBytes)
        {
            return FieldProblems.Of("file", "The file is larger than 50 MB.").ToResult();
        }
        await using var stream = file.OpenReadStream();
        var id = await service.StoreAsync(stream, file.FileName, Actor.OfApiKey(user), start: true, ct);
        return TypedResults.Accepted($"/api/v1/order-imports/{id}", new ImportAccepted(id));
    }

    private static async Task<IResult> GetImportAsync(long id, OrderImportService service, CancellationToken ct) =>
        await service.GetAsync(id, ct: ct) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    private static async Task ExportAsync([AsParameters] OrderListQuery q, string? format, OrderQueries queries, ShopService shops, IAuthorizationService auth, ExportGate gate, HttpContext http, CancellationToken ct)
    {
        var (filter, problems) = await q.ToFilterAsync(shops, ct);
        if (problems.Any)
        {
            await problems.ToResult().ExecuteAsync(http);
            return;
        }
        var fullPii = (await auth.AuthorizeAsync(http.User, Policies.FullPii)).Succeeded;
        await gate.RunAsync(http, () => OrderExport.WriteAsync(http, queries, filter, fullPii, format, ct));
    }

    private static async Task ImportErrorsCsvAsync(long id, OrderImportService service, IStringLocalizer<OrdersResources> l, HttpContext http, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=import-{id}-errors.csv";
        await service.WriteErrorsCsvAsync(id, http.Response.Body, l, ct);
    }
}

/// <summary>The list's filters as query parameters (API and export share them with the page's URL).</summary>
public sealed class OrderListQuery
{
    [FromQuery] public OrderStatus? Status { get; set; }
    [FromQuery] public OrderChannel? Channel { get; set; }
    [FromQuery] public string? Province { get; set; }
    [FromQuery] public int? Warehouse { get; set; }
    [FromQuery] public string? Carrier { get; set; }
    [FromQuery] public DateOnly? From { get; set; }
    [FromQuery] public DateOnly? To { get; set; }
    [FromQuery] public bool? Exception { get; set; }
    [FromQuery] public string? Q { get; set; }
    /// <summary>A name of <see cref="OrderSort"/> (text, so a wrong one is answered with the allowed values).</summary>
    [FromQuery] public string? Sort { get; set; }
    [FromQuery] public string? Cursor { get; set; }
    [FromQuery] public int? Limit { get; set; }
    /// <summary>A shop's code or id.</summary>
    [FromQuery] public string? Shop { get; set; }

    public OrderFilter ToFilter() => new(Status, Channel, Province, Warehouse, Carrier, From, To, Exception, Q, OrderSorts.TryParse(Sort, out var sort) ? sort : OrderSort.Newest);

    /// <summary>The filter with the shop looked up by code or id; a shop that does not exist is a problem, not an empty list.</summary>
    public async Task<(OrderFilter Filter, FieldProblems Problems)> ToFilterAsync(ShopService shops, CancellationToken ct)
    {
        var filter = ToFilter();
        if (string.IsNullOrWhiteSpace(Shop))
        {
            return (filter, new FieldProblems());
        }
        if (Shop.Length > 32 || await shops.FindAsync(Shop, ct) is not { } shop)
        {
            return (filter, FieldProblems.Of("shop", $"shop '{(Shop.Length > 32 ? Shop[..32] + "…" : Shop)}' is not a shop's code or id (GET /api/v1/shops lists them)."));
        }
        return (filter with { ShopId = shop.Id }, new FieldProblems());
    }
}
