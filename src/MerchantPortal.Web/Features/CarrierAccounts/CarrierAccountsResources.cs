namespace MerchantPortal.Web.Features.CarrierAccounts;

public sealed class CarrierAccountsResources;
