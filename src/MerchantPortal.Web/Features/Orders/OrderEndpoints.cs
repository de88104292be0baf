using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

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
        [property: RegularExpression("^(zh-CN|en)$", ErrorMessage = "language is zh-CN or en.")] string? Language = null);

    public sealed record OrderListResponse(IReadOnlyList<OrderRow> Items, string? NextCursor);

    public sealed record ImportAccepted(long Id);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", async Task<IResult> (CreateOrderRequest request, OrderService service, OrderQueries queries, RegionCatalog regions, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            // The nested records' DataAnnotations are checked here too: minimal-API validation does not reach
            // into array elements, and shop systems need lines[i].field in the answer.
            for (var i = 0; i < request.Lines.Length; i++)
            {
                var line = request.Lines[i];
                if (line is null)
                {
                    errors[$"lines[{i}]"] = ["A line is required."];
                    continue;
                }
                if (string.IsNullOrWhiteSpace(line.Name) || line.Name.Length > 300)
                {
                    errors[$"lines[{i}].name"] = ["The name is required (at most 300 characters)."];
                }
                if (line.Quantity is < 1 or > 10_000)
                {
                    errors[$"lines[{i}].quantity"] = ["The quantity must be between 1 and 10000."];
                }
                if (line.UnitPrice is < 0 or > 100_000_000)
                {
                    errors[$"lines[{i}].unitPrice"] = ["The unit price must be between 0 and 100000000."];
                }
                if (line.WeightKg is < 0 or > 10_000)
                {
                    errors[$"lines[{i}].weightKg"] = ["The weight must be between 0 and 10000 kg."];
                }
            }
            if (request.Email is { } email && (email.Trim().Length > 256 || !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out _)))
            {
                errors["email"] = ["email is the buyer's e-mail address (at most 256 characters)."];
            }
            if (request.Language is not (null or "zh-CN" or "en"))
            {
                errors["language"] = ["language is zh-CN or en."];
            }
            var (phone, province) = OrderAddressRules.CheckForApi(new(request.Receiver.Name, request.Receiver.Mobile, request.Receiver.Province, request.Receiver.City, request.Receiver.District, request.Receiver.Address, request.Receiver.Postcode), regions, errors);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
            var input = new NewOrder(request.OrderNo.Trim(), request.Channel is null ? OrderChannel.Api : OrderRowValidator.ParseChannel(request.Channel),
                request.Receiver.Name.Trim(), phone!, province!.Name, request.Receiver.City?.Trim() ?? (province.IsMunicipality ? province.Name : ""),
                request.Receiver.District?.Trim() ?? "", request.Receiver.Address.Trim(), request.Receiver.Postcode?.Trim(),
                [.. request.Lines.Select(l => new NewOrderLine(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.WeightKg))], request.Remark,
                string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(), request.Language);
            var (outcome, orderNo) = await service.CreateAsync(input, "api:" + (user.Identity?.Name ?? "key"), ct);
            if (outcome == CreateOutcome.Conflict)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order number already used",
                    detail: $"Order {orderNo} already exists with different content; change it in the portal or use another order number.");
            }
            var detail = await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct);
            return outcome == CreateOutcome.Created ? TypedResults.Created($"/api/v1/orders/{Uri.EscapeDataString(orderNo)}", detail) : TypedResults.Ok(detail);
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
          .WithName("CreateOrder").WithSummary("Creates an order (PendingReview). Idempotent on orderNo: the same content again answers 200 with the order, other content 409.");

        orders.MapGet("/{orderNo}", async Task<IResult> (string orderNo, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
                await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("GetOrder").WithSummary("One order with lines and history; phone and address masked unless the key has pii:read.");

        orders.MapGet("/{orderNo}/story", async Task<IResult> (string orderNo, OrderQueries queries, OrderStory story, ClaimsPrincipal user, CancellationToken ct) =>
                await queries.GetAsync(orderNo, false, ct) is { } detail
                    ? TypedResults.Ok(await story.ForOrderAsync(detail.Order.Id, ApiScopes.SeesFullPii(user), ct))
                    : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<StoryEvent>>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetOrderStory").WithSummary("The order's story, newest first, as its page shows it: its own history, parcel registrations, every carrier scan (kind ScanInFuture / ScanContradicts for doubtful ones), exception cases, returns, pickups and refunds. kind names the event; detail is the data as written; phone numbers in free text are masked unless the key has pii:read.");

        orders.MapGet("/", async ([AsParameters] OrderListQuery q, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var page = await queries.ListAsync(q.ToFilter(), q.Cursor, Math.Clamp(q.Limit ?? 50, 1, 500), ApiScopes.SeesFullPii(user), ct);
                return new OrderListResponse(page.Items, page.NextCursor);
            })
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListOrders").WithSummary("Orders matching the filters, newest first; pass nextCursor back as cursor for the next page.");

        // Approve, hold and cancel one order, as the orders page's buttons do for a selection.
        foreach (var (action, path, name, summary) in new[]
        {
            (OrderAction.Approve, "approve", "ApproveOrder", "Approves an order in PendingReview or OnHold; approving an approved order is a no-op 200."),
            (OrderAction.Hold, "hold", "HoldOrder", "Puts an order in PendingReview or Approved on hold; holding a held order is a no-op 200."),
            (OrderAction.Cancel, "cancel", "CancelOrder", "Cancels an order in PendingReview, Approved or OnHold; cancelling a cancelled order is a no-op 200."),
        })
        {
            orders.MapPost("/{orderNo}/" + path, async Task<IResult> (string orderNo, OrderService service, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var result = (await service.ApplyAsync(action, [orderNo], "api:" + (user.Identity?.Name ?? "key"), ct: ct)).Single();
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
            }).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
              .WithName(name).WithSummary(summary);
        }

        // The page's bulk buttons: one action over up to 1,000 orders, each order told apart (changed, or its status now).
        orders.MapPost("/actions", async Task<IResult> (BulkActionRequest request, OrderService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            // By name only: Enum.TryParse also takes "1" and "Approve,Hold" (flags arithmetic gives Hold).
            var name = Enum.GetNames<OrderAction>().FirstOrDefault(n => string.Equals(n, request.Action?.Trim(), StringComparison.OrdinalIgnoreCase));
            var action = name is null ? default : Enum.Parse<OrderAction>(name);
            if (name is null)
            {
                errors["action"] = ["action is one of Approve, Hold, Cancel."];
            }
            var orderNos = (request.OrderNos ?? []).Select(o => o?.Trim() ?? "").ToList();
            if (orderNos.Count is 0 or > MaxBulkOrders)
            {
                errors["orderNos"] = [$"orderNos lists 1 to {MaxBulkOrders} order numbers; it had {orderNos.Count}."];
            }
            else if (orderNos.FindIndex(o => o.Length is 0 or > 64) is var bad and >= 0)
            {
                errors[$"orderNos[{bad}]"] = ["An order number has 1 to 64 characters."];
            }
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
            var results = await service.ApplyAsync(action, orderNos.Distinct(StringComparer.Ordinal).ToList(), "api:" + (user.Identity?.Name ?? "key"), ct: ct);
            return TypedResults.Ok(new BulkActionResponse(results.Count(r => r.Changed), results));
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
          .WithName("ApplyOrderAction").WithSummary("Approve, Hold or Cancel for up to 1,000 orders at once, as the orders page's bulk buttons: each result says changed, or the order's status now (null: no such order).");

        var imports = api.MapGroup("/order-imports").WithTags("Orders");
        imports.MapPost("/", async Task<IResult> (IFormFile file, OrderImportService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (file.Length > OrderImportService.MaxFileBytes)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is larger than 50 MB."] });
            }
            await using var stream = file.OpenReadStream();
            var id = await service.StoreAsync(stream, file.FileName, "api:" + (user.Identity?.Name ?? "key"), start: true, ct);
            return TypedResults.Accepted($"/api/v1/order-imports/{id}", new ImportAccepted(id));
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite)).DisableAntiforgery()
          // The file limit plus room for the multipart envelope; larger bodies are cut off by Kestrel with a 413.
          .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(OrderImportService.MaxFileBytes + 64 * 1024))
          .WithFormOptions(multipartBodyLengthLimit: OrderImportService.MaxFileBytes + 64 * 1024)
          .WithName("StartOrderImport").WithSummary("Uploads a CSV or XLSX order file (multipart field 'file') and starts its import; 202 with the import id.");

        imports.MapGet("/{id:long}", async Task<IResult> (long id, OrderImportService service, CancellationToken ct) =>
                await service.GetAsync(id, ct: ct) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("GetOrderImport").WithSummary("Status, counters and rejected rows (row, column, value, reason, orderNo) of an import.");

        // Browser downloads (cookie auth): what the list shows, masked for roles without full PII.
        app.MapGet("/orders/export", async ([AsParameters] OrderListQuery q, string? format, OrderQueries queries, IAuthorizationService auth, ExportGate gate, HttpContext http, CancellationToken ct) =>
        {
            var fullPii = (await auth.AuthorizeAsync(http.User, Policies.FullPii)).Succeeded;
            await gate.RunAsync(http, () => OrderExport.WriteAsync(http, queries, q.ToFilter(), fullPii, format, ct));
        }).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();

        app.MapGet("/orders/imports/{id:long}/errors.csv", async (long id, OrderImportService service, HttpContext http, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=import-{id}-errors.csv";
            await service.WriteErrorsCsvAsync(id, http.Response.Body, ct);
        }).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
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
    [FromQuery] public OrderSort? Sort { get; set; }
    [FromQuery] public string? Cursor { get; set; }
    [FromQuery] public int? Limit { get; set; }

    public OrderFilter ToFilter() => new(Status, Channel, Province, Warehouse, Carrier, From, To, Exception, Q, Sort ?? OrderSort.Newest);
}
