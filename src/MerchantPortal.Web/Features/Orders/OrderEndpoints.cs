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

    /// <summary>A mapping for an import not started yet: field → header (empty header = not imported), or a template's name.</summary>
    public sealed record ImportMappingRequest(Dictionary<string, string?>? Mapping, [property: StringLength(100)] string? Template);

    /// <summary>A named template for files with these headers.</summary>
    public sealed record ImportTemplateRequest(
        [property: Required, StringLength(100, MinimumLength = 1)] string Name,
        OrderChannel? Platform,
        [property: Required] List<string> Headers,
        [property: Required] Dictionary<string, string?> Mapping);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        MapOrders(api.MapGroup("/orders").WithTags("Orders"));
        MapImports(api.MapGroup("/order-imports").WithTags("Orders"));
        MapTemplates(api.MapGroup("/import-templates").WithTags("Orders"));
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
          .WithName("StartOrderImport").WithSummary("Uploads a CSV or XLSX order file (multipart field 'file') and starts its import; 202 with the import id. "
            + "Optional fields (form or query): template (a built-in or saved template's name), mapping (JSON object field → header, e.g. {\"Mobile\":\"手机号码\"}; "
            + "fields not named are not imported), shop (an active shop's code: its orders belong to it), start=false (upload only: set the mapping with PUT …/mapping, then POST …/start). "
            + "Without template or mapping a built-in template whose headers the file has, else a saved template with the same headers, else the guessed headers are used. "
            + "400 naming an unknown template, shop, field or header.");

        imports.MapGet("/{id:long}", GetImportAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("GetOrderImport").WithSummary("Status, counters (emptyRows: rows with no value, skipped) and rejected rows (row, column, value, reason, orderNo) of an import.");

        MapImportMapping(imports);
    }

    /// <summary>The mapping step over the API: upload with start=false, read and set the mapping, start.</summary>
    private static void MapImportMapping(RouteGroupBuilder imports)
    {
        imports.MapGet("/{id:long}/errors.csv", ApiImportErrorsCsvAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status404NotFound)
            .WithName("GetOrderImportErrorsCsv").WithSummary("The rejected rows as CSV (UTF-8 with BOM, formula-neutralised), header and reasons in the language of Accept-Language (zh-CN or en).");

        imports.MapGet("/{id:long}/mapping", GetMappingAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<ImportMappingDto>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetOrderImportMapping").WithSummary("The file's headers, each with up to 3 sample values and the field it maps to with its confidence (Exact, Normalised, Fuzzy, Template, Manual); the template used; required fields not mapped.");

        imports.MapPut("/{id:long}/mapping", SetMappingAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<ImportMappingDto>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("SetOrderImportMapping").WithSummary("Sets the mapping (field → header) or a template of an import uploaded with start=false; 400 naming an unknown field, header or template, or when it already started.");

        imports.MapPost("/{id:long}/start", StartUploadedAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<ImportAccepted>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status404NotFound)
            .WithName("StartUploadedOrderImport").WithSummary("Starts an import uploaded with start=false; 202 (also when it had already started).");
    }

    private static void MapTemplates(RouteGroupBuilder templates)
    {
        templates.MapGet("/", async (OrderImportService service, CancellationToken ct) => TypedResults.Ok(await service.TemplatesAsync(ct)))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListImportTemplates").WithSummary("Import templates: the built-in platform templates (builtIn = true, read-only) first, then the saved ones.");

        templates.MapPost("/", SaveTemplateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<ImportTemplateDto>().ProducesValidationProblem()
            .WithName("SaveImportTemplate").WithSummary("Saves (or replaces, by name) a template: the file's header row and its mapping field → header. Files with the same headers get it automatically. 400 for a built-in's name, an unknown field or a header not in headers.");

        templates.MapDelete("/{name}", DeleteTemplateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithName("DeleteImportTemplate").WithSummary("Deletes a saved template; built-ins cannot be deleted (400).");
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

    private static async Task<IResult> StartImportAsync(IFormFile file, HttpRequest request, OrderImportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (file.Length > OrderImportService.MaxFileBytes)
        {
            return FieldProblems.Of("file", "The file is larger than 50 MB.").ToResult();
        }
        string? Param(string name) => request.Form.TryGetValue(name, out var f) && !string.IsNullOrWhiteSpace(f) ? f.ToString()
            : request.Query.TryGetValue(name, out var q) && !string.IsNullOrWhiteSpace(q) ? q.ToString() : null;
        var problems = new FieldProblems();
        var template = Param("template");
        var shop = Param("shop");
        var rawMapping = Param("mapping");
        var startText = Param("start");
        Dictionary<string, string?>? mapping = null;
        if (rawMapping is not null)
        {
            try
            {
                mapping = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(rawMapping);
            }
            catch (System.Text.Json.JsonException)
            {
            }
            if (mapping is null)
            {
                problems.Add("mapping", "mapping is a JSON object of field → header, e.g. {\"Mobile\":\"手机号码\"}.");
            }
        }
        if (template is not null && mapping is not null)
        {
            problems.Add("template", "Name a template or send a mapping, not both.");
        }
        if (template is { Length: > OrderImportService.MaxTemplateName })
        {
            problems.Add("template", $"A template name has at most {OrderImportService.MaxTemplateName} characters.");
        }
        var start = true;
        if (startText is not null && !bool.TryParse(startText, out start))
        {
            problems.Add("start", "start is true or false.");
        }
        int? shopId = null;
        if (shop is not null)
        {
            shopId = shop.Length <= 32 ? await service.ShopIdAsync(shop, ct) : null;
            if (shopId is null)
            {
                problems.Add("shop", $"No active shop has the code '{(shop.Length > 32 ? shop[..32] + "…" : shop)}'.");
            }
        }
        if (problems.Any)
        {
            return problems.ToResult();
        }
        await using var stream = file.OpenReadStream();
        try
        {
            var id = await service.StoreAsync(stream, file.FileName, Actor.OfApiKey(user), start, new ImportOptions(shopId, template, mapping), ct);
            return TypedResults.Accepted($"/api/v1/order-imports/{id}", new ImportAccepted(id));
        }
        catch (ImportRequestException ex)
        {
            return FieldProblems.From(ex.Errors).ToResult();
        }
    }

    private static async Task<IResult> ApiImportErrorsCsvAsync(long id, OrderImportService service, IStringLocalizer<OrdersResources> l, HttpContext http, CancellationToken ct)
    {
        if (await service.GetAsync(id, 0, ct) is null)
        {
            return TypedResults.NotFound();
        }
        await ImportErrorsCsvAsync(id, service, l, http, ct);
        return TypedResults.Empty;
    }

    private static async Task<IResult> GetMappingAsync(long id, OrderImportService service, CancellationToken ct) =>
        await service.GetMappingAsync(id, ct) is { } mapping ? TypedResults.Ok(mapping) : TypedResults.NotFound();

    private static async Task<IResult> SetMappingAsync(long id, ImportMappingRequest request, OrderImportService service, CancellationToken ct)
    {
        if (request.Mapping is null && string.IsNullOrWhiteSpace(request.Template))
        {
            return FieldProblems.Of("mapping", "Send a mapping (field → header) or a template name.").ToResult();
        }
        var problems = await service.SetMappingAsync(id, request.Mapping, string.IsNullOrWhiteSpace(request.Template) ? null : request.Template, ct);
        if (problems is null)
        {
            return TypedResults.NotFound();
        }
        return problems.Count > 0 ? FieldProblems.From(problems).ToResult() : TypedResults.Ok(await service.GetMappingAsync(id, ct));
    }

    private static async Task<IResult> StartUploadedAsync(long id, OrderImportService service, CancellationToken ct)
    {
        if (await service.GetAsync(id, 0, ct) is null)
        {
            return TypedResults.NotFound();
        }
        await service.StartAsync(id, ct);
        return TypedResults.Accepted($"/api/v1/order-imports/{id}", new ImportAccepted(id));
    }

    private static async Task<IResult> SaveTemplateAsync(ImportTemplateRequest request, OrderImportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = await service.SaveTemplateAsync(request.Name, request.Platform, request.Headers ?? [], request.Mapping ?? [], Actor.OfApiKey(user), ct);
        return problems.Count > 0 ? FieldProblems.From(problems).ToResult() : TypedResults.Ok(await service.TemplateAsync(request.Name.Trim(), ct));
    }

    private static async Task<IResult> DeleteTemplateAsync(string name, OrderImportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        // Routing leaves %2F encoded in a segment, and the built-in names have a slash (淘宝/天猫 …).
        name = Uri.UnescapeDataString(name);
        if (BuiltInImportTemplates.Named(name) is not null)
        {
            return FieldProblems.Of("name", $"'{name}' is a built-in template and cannot be deleted.").ToResult();
        }
        return await service.DeleteTemplateAsync(name, Actor.OfApiKey(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();
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
