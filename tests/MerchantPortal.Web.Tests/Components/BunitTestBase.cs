using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MerchantPortal.Web.Tests.Components;

/// <summary>
/// The shared bunit setup (MudBlazor's own pattern): loose JS interop and MudBlazor's services. With xunit v2 the
/// context is disposed asynchronously, as MudBlazor's services need.
/// </summary>
public abstract class BunitTestBase : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();

    protected BunitTestBase()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddLocalization();
        Context.Services.AddSingleton(TimeProvider.System);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Context.DisposeAsync();
}
