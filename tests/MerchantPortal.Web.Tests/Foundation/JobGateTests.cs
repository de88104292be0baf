using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

[Collection(SharedPortal.Name)]
public class JobGateTests(SharedPortal portal)
{
    [Fact]
    public void A_second_run_is_turned_away_at_once_while_the_first_holds_the_gate_and_let_in_after()
    {
        var gate = portal.Factory.GetService<JobGate>();
        var name = "test-" + Guid.NewGuid().ToString("N")[..8];

        using (var first = gate.TryEnter(name))
        {
            Assert.NotNull(first);
            Assert.Null(gate.TryEnter(name));
            using var other = gate.TryEnter(name + "-other");
            Assert.NotNull(other);
        }

        using var again = gate.TryEnter(name);
        Assert.NotNull(again);
    }
}
