using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Orders;

/// <param name="Platform">A name of <see cref="OrderChannel"/> (Tmall, JD, Douyin, Kuaishou, Youzan …).</param>
public sealed record ShopInput(
    string Code, string Name, string Platform, int? WarehouseId,
    string? SenderName = null, string? SenderPhone = null, string? SenderProvince = null, string? SenderCity = null,
    string? SenderDistrict = null, string? SenderAddress = null, bool Active = true);

public sealed record ShopView(
    int Id, string Code, string Name, OrderChannel Platform, int? WarehouseId, string? WarehouseName,
    string SenderName, string SenderPhone, string SenderProvince, string SenderCity, string SenderDistrict, string SenderAddress, bool Active)
{
    /// <summary>Whether the shop prints its own sender on labels (otherwise the warehouse's contact and address).</summary>
    public bool HasSender => SenderName.Length > 0;
}

public sealed class ShopValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The shop is not valid: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public FieldProblems Problems => FieldProblems.From(Errors);
}

/// <summary>
/// Shops (店铺), managed by Admin: orders name one (API <c>shop</c>, import), lists, exports and KPIs filter by it, and
/// its sender and default warehouse apply to its orders' waybills. A shop is deactivated, never deleted: orders keep it.
/// </summary>
public sealed class ShopService(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, TimeProvider clock, IStringLocalizer<OrdersResources> L)
{
    public async Task<IReadOnlyList<ShopView>> ListAsync(bool activeOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var warehouses = await db.Set<Warehouse>().AsNoTracking().ToDictionaryAsync(w => w.Id, w => w.Name, ct);
        var shops = await db.Set<Shop>().AsNoTracking().Where(s => !activeOnly || s.Active).OrderBy(s => s.Code).ToListAsync(ct);
        return [.. shops.Select(s => View(s, warehouses))];
    }

    /// <summary>A shop by its code or, when the text is a number, its id (the API's and export's <c>shop=</c>).</summary>
    public async Task<ShopView?> FindAsync(string? codeOrId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(codeOrId))
        {
            return null;
        }
        var text = codeOrId.Trim();
        var code = text.ToLowerInvariant();
        var id = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var shop = await db.Set<Shop>().AsNoTracking().Where(s => s.Code == code || s.Id == id).OrderBy(s => s.Code == code ? 0 : 1).FirstOrDefaultAsync(ct);
        if (shop is null)
        {
            return null;
        }
        var warehouses = await db.Set<Warehouse>().AsNoTracking().Where(w => w.Id == shop.WarehouseId).ToDictionaryAsync(w => w.Id, w => w.Name, ct);
        return View(shop, warehouses);
    }

    public async Task<ShopView> SaveAsync(int? id, ShopInput input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (code, platformName, hasSender, phone, province) = await ValidateAsync(db, id, input, ct);
        var shop = id is null ? null : await db.Set<Shop>().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (id is not null && shop is null)
        {
            throw new KeyNotFoundException($"Shop {id} does not exist.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        shop ??= db.Add(new Shop { Code = code, Name = "", CreatedAtUtc = now }).Entity;
        shop.Code = code;
        shop.Name = input.Name.Trim();
        shop.Platform = Enum.Parse<OrderChannel>(platformName);
        shop.WarehouseId = input.WarehouseId;
        shop.SenderName = hasSender ? input.SenderName!.Trim() : "";
        shop.SenderPhone = phone ?? "";
        shop.SenderProvince = province?.Name ?? "";
        shop.SenderCity = hasSender ? input.SenderCity!.Trim() : "";
        shop.SenderDistrict = hasSender ? input.SenderDistrict!.Trim() : "";
        shop.SenderAddress = hasSender ? input.SenderAddress!.Trim() : "";
        var deactivated = id is not null && shop.Active && !input.Active;
        shop.Active = input.Active;
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, id is null ? "Shop.Created" : deactivated ? "Shop.Deactivated" : "Shop.Updated", nameof(Shop),
            shop.Id.ToString(CultureInfo.InvariantCulture), $"{shop.Code} {shop.Name} ({shop.Platform})");
        await db.SaveChangesAsync(ct);
        return (await FindAsync(shop.Code, ct))!;
    }

    /// <summary>Every problem of the input at once, field by field (<see cref="ShopValidationException"/>); else the normalized values.</summary>
    private async Task<(string Code, string Platform, bool HasSender, string? Phone, Province? Province)> ValidateAsync(PortalDbContext db, int? id, ShopInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var code = input.Code?.Trim().ToLowerInvariant() ?? "";
        if (code.Length is 0 or > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors["code"] = [L["Shop.Error.Code"]];
        }
        else if (await db.Set<Shop>().AnyAsync(s => s.Code == code && s.Id != (id ?? 0), ct))
        {
            errors["code"] = [L["Shop.Error.CodeTaken"]];
        }
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100)
        {
            errors["name"] = [L["Shop.Error.Name"]];
        }
        var platformName = Enum.GetNames<OrderChannel>().FirstOrDefault(n => string.Equals(n, input.Platform?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (platformName is null)
        {
            errors["platform"] = [string.Format(CultureInfo.CurrentCulture, L["Shop.Error.Platform"], string.Join(", ", Enum.GetNames<OrderChannel>()))];
        }
        if (input.WarehouseId is { } warehouseId && !await db.Set<Warehouse>().AnyAsync(w => w.Id == warehouseId, ct))
        {
            errors["warehouseId"] = [L["Shop.Error.Warehouse"]];
        }

        // The sender is all or nothing: a label with a shop name but the warehouse's address (or no phone) would
        // send returns and the courier's calls to the wrong place. Validated as a warehouse address is.
        var sender = new[] { input.SenderName, input.SenderPhone, input.SenderProvince, input.SenderCity, input.SenderDistrict, input.SenderAddress };
        var hasSender = sender.Any(s => !string.IsNullOrWhiteSpace(s));
        string? phone = null;
        Province? province = null;
        if (hasSender)
        {
            if (string.IsNullOrWhiteSpace(input.SenderName) || input.SenderName.Trim().Length > 50)
            {
                errors["senderName"] = [L["Shop.Error.SenderName"]];
            }
            phone = PhoneNumbers.Normalize(input.SenderPhone);
            if (phone is null)
            {
                errors["senderPhone"] = [L["Warehouse.Error.ContactPhone"]];
            }
            province = regions.FindProvince(input.SenderProvince);
            if (province is null)
            {
                errors["senderProvince"] = [L["Warehouse.Error.Province"]];
            }
            if (string.IsNullOrWhiteSpace(input.SenderCity) || input.SenderCity.Trim().Length > 50)
            {
                errors["senderCity"] = [L["Warehouse.Error.City"]];
            }
            if (string.IsNullOrWhiteSpace(input.SenderDistrict) || input.SenderDistrict.Trim().Length > 50)
            {
                errors["senderDistrict"] = [L["Warehouse.Error.District"]];
            }
            if (string.IsNullOrWhiteSpace(input.SenderAddress) || input.SenderAddress.Trim().Length > 200)
            {
                errors["senderAddress"] = [L["Warehouse.Error.Address"]];
            }
        }
        if (errors.Count > 0)
        {
            throw new ShopValidationException(errors);
        }
        return (code, platformName!, hasSender, phone, province);
    }

    /// <summary>Stops a shop being offered for new orders and imports; its orders keep it. Deactivating twice is a no-op.</summary>
    public async Task<ShopView?> DeactivateAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var shop = await db.Set<Shop>().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (shop is null)
        {
            return null;
        }
        if (shop.Active)
        {
            shop.Active = false;
            db.Audit(clock.GetUtcNow().UtcDateTime, actor, "Shop.Deactivated", nameof(Shop), shop.Id.ToString(CultureInfo.InvariantCulture), $"{shop.Code} {shop.Name}");
            await db.SaveChangesAsync(ct);
        }
        return await FindAsync(shop.Code, ct);
    }

    private static ShopView View(Shop s, IReadOnlyDictionary<int, string> warehouses) => new(
        s.Id, s.Code, s.Name, s.Platform, s.WarehouseId, s.WarehouseId is { } w ? warehouses.GetValueOrDefault(w) : null,
        s.SenderName, s.SenderPhone, s.SenderProvince, s.SenderCity, s.SenderDistrict, s.SenderAddress, s.Active);
}
