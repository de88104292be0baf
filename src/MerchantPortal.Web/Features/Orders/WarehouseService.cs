using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Orders;

public sealed record WarehouseInput(
    string Code, string Name, string Province, string City, string District, string Address,
    string ContactName, string ContactPhone, int? DefaultCarrierAccountId, bool Active = true);

public sealed record WarehouseView(
    int Id, string Code, string Name, string Province, string City, string District, string Address,
    string ContactName, string ContactPhone, int? DefaultCarrierAccountId, string? DefaultCarrierAccountName, bool Active);

public sealed class WarehouseValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The warehouse is not valid: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public FieldProblems Problems => FieldProblems.From(Errors);
}

/// <summary>Ship-from warehouses, managed by Admin (product.md). Orders own the table; labels and pickups read it.</summary>
public sealed class WarehouseService(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, TimeProvider clock, IStringLocalizer<OrdersResources> L)
{
    public async Task<IReadOnlyList<WarehouseView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await db.Set<CarrierAccount>().AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var rows = await db.Set<Warehouse>().AsNoTracking().OrderBy(w => w.Code).ToListAsync(ct);
        return rows.Select(w => new WarehouseView(w.Id, w.Code, w.Name, w.Province, w.City, w.District, w.Address, w.ContactName, w.ContactPhone,
            w.DefaultCarrierAccountId, w.DefaultCarrierAccountId is { } id && accounts.TryGetValue(id, out var name) ? name : null, w.Active)).ToList();
    }

    public async Task<WarehouseView> SaveAsync(int? id, WarehouseInput input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var code = input.Code?.Trim().ToUpperInvariant() ?? "";
        if (code.Length is 0 or > 20 || !code.All(char.IsAsciiLetterOrDigit))
        {
            errors["code"] = [L["Warehouse.Error.Code"]];
        }
        else if (await db.Set<Warehouse>().AnyAsync(w => w.Code == code && w.Id != (id ?? 0), ct))
        {
            errors["code"] = [L["Warehouse.Error.CodeTaken"]];
        }
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100)
        {
            errors["name"] = [L["Warehouse.Error.Name"]];
        }
        var province = regions.FindProvince(input.Province);
        if (province is null)
        {
            errors["province"] = [L["Warehouse.Error.Province"]];
        }
        if (string.IsNullOrWhiteSpace(input.City) || input.City.Trim().Length > 50)
        {
            errors["city"] = [L["Warehouse.Error.City"]];
        }
        if (string.IsNullOrWhiteSpace(input.District) || input.District.Trim().Length > 50)
        {
            errors["district"] = [L["Warehouse.Error.District"]];
        }
        if (string.IsNullOrWhiteSpace(input.Address) || input.Address.Trim().Length > 200)
        {
            errors["address"] = [L["Warehouse.Error.Address"]];
        }
        if (string.IsNullOrWhiteSpace(input.ContactName) || input.ContactName.Trim().Length > 50)
        {
            errors["contactName"] = [L["Warehouse.Error.ContactName"]];
        }
        var phone = PhoneNumbers.Normalize(input.ContactPhone);
        if (phone is null)
        {
            errors["contactPhone"] = [L["Warehouse.Error.ContactPhone"]];
        }
        if (input.DefaultCarrierAccountId is { } accountId && !await db.Set<CarrierAccount>().AnyAsync(a => a.Id == accountId && !a.IsDisabled, ct))
        {
            errors["defaultCarrierAccountId"] = [L["Warehouse.Error.Account"]];
        }
        if (errors.Count > 0)
        {
            throw new WarehouseValidationException(errors);
        }

        var warehouse = id is null ? null : await db.Set<Warehouse>().SingleOrDefaultAsync(w => w.Id == id, ct);
        if (id is not null && warehouse is null)
        {
            throw new KeyNotFoundException($"Warehouse {id} does not exist.");
        }
        warehouse ??= db.Add(new Warehouse { Code = code, Name = "", Province = "", City = "" }).Entity;
        warehouse.Code = code;
        warehouse.Name = input.Name.Trim();
        warehouse.Province = province!.Name;
        warehouse.City = input.City.Trim();
        warehouse.District = input.District.Trim();
        warehouse.Address = input.Address.Trim();
        warehouse.ContactName = input.ContactName.Trim();
        warehouse.ContactPhone = phone!;
        warehouse.DefaultCarrierAccountId = input.DefaultCarrierAccountId;
        warehouse.Active = input.Active;
        await db.SaveChangesAsync(ct);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, id is null ? "Warehouse.Created" : "Warehouse.Updated", nameof(Warehouse),
            warehouse.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{warehouse.Code} {warehouse.Name}");
        await db.SaveChangesAsync(ct);
        return (await ListAsync(ct)).Single(w => w.Id == warehouse.Id);
    }
}
