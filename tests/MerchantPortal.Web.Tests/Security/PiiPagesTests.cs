using System.Net;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// R6 across features: the pages CustomerService opens besides orders (a shipment, a return, an exception case)
/// never show a receiver's whole phone number; Ops, who may, sees it where the page shows it.
/// </summary>
[Collection(SharedPortal.Name)]
public class PiiPagesTests(SharedPortal portal)
{
    [Fact]
    public async Task Customer_service_never_sees_a_whole_phone_on_shipment_return_or_exception_pages()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var pages = new List<(string Url, string Phone)>();
        var shipment = await (from s in db.Set<Shipment>() join o in db.Set<Order>() on s.OrderId equals (long?)o.Id select new { s.TrackingNo, o.ReceiverPhone }).FirstOrDefaultAsync();
        if (shipment is not null)
        {
            pages.Add(($"/shipments/{shipment.TrackingNo}", shipment.ReceiverPhone));
        }
        var ret = await (from r in db.Set<ReturnRequest>() join o in db.Set<Order>() on r.OrderId equals o.Id select new { r.Id, o.ReceiverPhone }).FirstOrDefaultAsync();
        if (ret is not null)
        {
            pages.Add(($"/returns/{ret.Id}", ret.ReceiverPhone));
        }
        var exception = await (from c in db.Set<ExceptionCase>()
                               join s in db.Set<Shipment>() on c.ShipmentId equals s.Id
                               join o in db.Set<Order>() on s.OrderId equals (long?)o.Id
                               select new { c.Id, o.ReceiverPhone }).FirstOrDefaultAsync();
        if (exception is not null)
        {
            pages.Add(($"/exceptions/{exception.Id}", exception.ReceiverPhone));
        }
        Assert.True(pages.Count >= 1, "The demo data has no shipments/returns/cases linked to orders: " + string.Join(", ", pages));

        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var shownToOps = 0;
        foreach (var (url, phone) in pages)
        {
            var asCs = WebUtility.HtmlDecode(await cs.GetStringAsync(url));
            Assert.DoesNotContain(phone, asCs);
            var asOps = WebUtility.HtmlDecode(await ops.GetStringAsync(url));
            if (asOps.Contains(phone, StringComparison.Ordinal))
            {
                shownToOps++;
                Assert.Contains(Pii.MaskPhone(phone), asCs);
            }
        }
        // Today these pages show no phone at all (shownToOps == 0 in the test data); the test guards that a page
        // which starts showing one masks it for CustomerService.
        _ = shownToOps;
    }
}
