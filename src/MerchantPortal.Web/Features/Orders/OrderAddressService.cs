using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

public sealed record OrderFix(string OrderNo, string ReceiverName, string ReceiverPhone, string Province, string City, string District, string AddressDetail, decimal WeightKg);

public enum FixOutcome
{
    Saved,
    NotFound,
    /// <summary>A waybill is issued for the order: its address is on the label already.</summary>
    HasWaybill,
    Invalid,
}

/// <param name="Problems">Fields by the API's names (receiverName, receiverPhone, province, city, district, addressDetail,
/// weightKg); codes Required, TooLong, PhoneInvalid, ProvinceUnknown or OutOfRange.</param>
public sealed record FixResult(FixOutcome Outcome, IReadOnlyList<FieldProblem> Problems)
{
    public bool Ok => Outcome == FixOutcome.Saved;
}

/// <summary>Corrections of an order's receiver, address and weight, for the waybill pages and the API alike.</summary>
public sealed class OrderAddressService(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, TimeProvider clock)
{
    /// <summary>Before a waybill is issued (from WaybillIssued on, the address is printed on a label).</summary>
    private static readonly OrderStatus[] Editable = [OrderStatus.PendingReview, OrderStatus.Approved, OrderStatus.OnHold, OrderStatus.Cancelled];

    public async Task<OrderFix?> GetFixAsync(string orderNo, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Order>().AsNoTracking().Where(o => o.OrderNo == orderNo)
            .Select(o => new OrderFix(o.OrderNo, o.ReceiverName, o.ReceiverPhone, o.Province, o.City, o.District, o.AddressDetail, o.TotalWeightKg))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Fixes an order in place (receiver, address, weight) before its waybill is issued, e.g. one flagged by the
    /// waybill pre-flight or refused by the carrier's address check: only while no waybill is issued (the address is
    /// on the label then; void it first), written to the order's history and the audit log like any other order edit. The values are checked
    /// with <see cref="OrderAddressRules"/>, the rules of a new order (the form's maxlength binds browsers only, and the API calls this too):
    /// nothing is saved unless every field passes. The province is stored by its catalogue name.
    /// </summary>
    public async Task<FixResult> FixAsync(OrderFix fix, string actor, CancellationToken ct = default)
    {
        var (address, addressProblems) = OrderAddressRules.Check(
            new AddressInput(fix.ReceiverName, fix.ReceiverPhone, fix.Province, fix.City, fix.District, fix.AddressDetail), regions);
        var problems = addressProblems.Select(FixProblemOf).ToList();
        if (fix.WeightKg is < 0 or > 10_000)
        {
            problems.Add(new("weightKg", "OutOfRange", $"weightKg is 0 to 10000; it was {fix.WeightKg.ToString(System.Globalization.CultureInfo.InvariantCulture)}."));
        }
        if (problems.Count > 0)
        {
            return new FixResult(FixOutcome.Invalid, problems);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Set<Order>().SingleOrDefaultAsync(o => o.OrderNo == fix.OrderNo, ct);
        if (order is null)
        {
            return new FixResult(FixOutcome.NotFound, []);
        }
        if (!Editable.Contains(order.Status))
        {
            return new FixResult(FixOutcome.HasWaybill, []);
        }
        order.ReceiverName = address!.ReceiverName;
        order.ReceiverPhone = address.Phone;
        order.PhoneLast4 = PhoneNumbers.Last4(order.ReceiverPhone);
        order.Province = address.Province.Name;
        order.City = address.City;
        order.District = address.District;
        order.AddressDetail = address.Detail;
        order.TotalWeightKg = fix.WeightKg;
        // The values passed the rules of a new order, so they are real ones, not the platform's masked copy.
        order.ReceiverMasked = false;
        order.UpdatedAtUtc = now;
        db.Add(new OrderHistory { OrderId = order.Id, AtUtc = now, Actor = actor, Action = "Edited", Details = OrderStoryWords.AddressCorrected });
        db.Audit(now, actor, "orders.edit", "Order", order.OrderNo, "address fix");
        await db.SaveChangesAsync(ct);
        return new FixResult(FixOutcome.Saved, []);
    }

    /// <summary>The fix's own field names and codes (the waybill page's resx keys Fix.Problem.{Code}) for a rule's problem.</summary>
    private static FieldProblem FixProblemOf(AddressProblem p)
    {
        var field = p.Field switch
        {
            AddressField.ReceiverName => "receiverName",
            AddressField.Phone => "receiverPhone",
            AddressField.Detail => "addressDetail",
            _ => p.Field.ToString().ToLowerInvariant(),
        };
        return p.Reason switch
        {
            ImportReasons.Required => new(field, "Required", $"{field} is required."),
            ImportReasons.TooLong => new(field, "TooLong", $"{field} has at most {p.Max} characters; it had {p.Length}."),
            ImportReasons.PhoneInvalid => new(field, "PhoneInvalid", $"{field} is not a mainland mobile or landline number."),
            ImportReasons.ProvinceUnknown => new(field, "ProvinceUnknown", $"{field} is not a province of mainland China (for example 浙江省 or 浙江)."),
            _ => new(field, p.Reason, ImportReasons.Describe(p.Reason)),
        };
    }
}
