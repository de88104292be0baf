namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>
/// The lifecycle every contract class shares: a fresh gateway of its own, and a sandbox reset before each test so
/// counts in the sandbox's stats belong to that test alone.
/// </summary>
public abstract class ContractTestBase(ContractSandbox sandbox) : IAsyncLifetime, IDisposable
{
    private readonly ContractGateway _gateway = new();

    protected ContractSandbox Sandbox => sandbox;

    protected ICarrierGateway Gateway => _gateway.Gateway;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _gateway.Dispose();
        GC.SuppressFinalize(this);
    }
}
