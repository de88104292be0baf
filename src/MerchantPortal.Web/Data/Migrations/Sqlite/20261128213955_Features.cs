using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Features : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "SubscribeAttemptedAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExceptionCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RuleId = table.Column<int>(type: "INTEGER", nullable: true),
                    TriggerAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedTo = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ResolvedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReshipRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReturnRequested = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExceptionCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KpiDaily",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ServiceType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    WarehouseId = table.Column<int>(type: "INTEGER", nullable: false),
                    OriginProvince = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Final = table.Column<int>(type: "INTEGER", nullable: false),
                    Delivered = table.Column<int>(type: "INTEGER", nullable: false),
                    WithPromise = table.Column<int>(type: "INTEGER", nullable: false),
                    OnTime = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAttempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Exceptions = table.Column<int>(type: "INTEGER", nullable: false),
                    Returned = table.Column<int>(type: "INTEGER", nullable: false),
                    TransitCount = table.Column<int>(type: "INTEGER", nullable: false),
                    TransitHoursSum = table.Column<double>(type: "REAL", nullable: false),
                    TransitHistogram = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiDaily", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KpiRollupState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    WatermarkFinalAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WatermarkShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    LastReverseShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RebuiltAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiRollupState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    OriginProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ThresholdHours = table.Column<int>(type: "INTEGER", nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DueWithinHours = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsBuiltIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationDeliveryLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OutboxId = table.Column<long>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Body = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationDeliveryLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationOptOuts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationOptOuts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationTemplates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Milestone = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationTemplates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Returns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RmaNo = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ReasonText = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ShipmentId = table.Column<long>(type: "INTEGER", nullable: true),
                    PickedUpAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RefundedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PickupNoShowAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Returns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Returns_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Returns_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SlaRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OriginProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PromisedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WaybillBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CarrierAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ServiceType = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RunnerToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    LeaseUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WaybillBatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WaybillBatches_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Waybills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    LiveOrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    OrderNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BatchId = table.Column<long>(type: "INTEGER", nullable: true),
                    CarrierAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OrderCode = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    MarkDestination = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SortingCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ServiceType = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    WarehouseId = table.Column<int>(type: "INTEGER", nullable: true),
                    PickKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LabelJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    VoidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    VoidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ShipmentId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Waybills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Waybills_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Waybills_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookSubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    EventTypes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    SecretProtected = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookSubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExceptionCaseNotes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExceptionCaseNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExceptionCaseNotes_ExceptionCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "ExceptionCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Pickups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReturnId = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    OrderCode = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    CarrierAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    WindowStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    WindowEndUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContactPhone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Province = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    City = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    District = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    PickupCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CourierName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CourierPhone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    BookedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CollectedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Pickups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Pickups_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Pickups_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Refunds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReturnId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExchangeOrderNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Refunds_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReturnLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReturnId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderLineId = table.Column<long>(type: "INTEGER", nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReturnLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReturnLines_OrderLines_OrderLineId",
                        column: x => x.OrderLineId,
                        principalTable: "OrderLines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReturnLines_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReturnPhotos",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReturnId = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SizeBytes = table.Column<int>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UploadedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReturnPhotos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReturnPhotos_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WaybillBatchItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BatchId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    WaybillId = table.Column<long>(type: "INTEGER", nullable: true),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WaybillBatchItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WaybillBatchItems_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WaybillBatchItems_WaybillBatches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "WaybillBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SubscriptionId = table.Column<int>(type: "INTEGER", nullable: false),
                    OutboxId = table.Column<long>(type: "INTEGER", nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeliveredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastStatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WebhookDeliveries_WebhookSubscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "WebhookSubscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[,]
                {
                    { 1, null, 24, true, true, null, "Medium", null, 24, "NoFirstScan", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 2, null, 24, true, true, null, "Medium", null, 48, "NoUpdate", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 3, null, 8, true, true, null, "Medium", null, 12, "OutForDeliveryStalled", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 4, null, 8, true, true, null, "High", null, 0, "FailedDelivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 5, null, 8, true, true, null, "High", null, 0, "Rejected", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 6, null, 24, true, true, null, "Low", null, 48, "LockerNotCollected", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 7, null, 24, true, true, null, "Medium", null, 0, "ReturningToSender", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 8, null, 8, true, true, null, "High", null, 0, "PromisedDateMissed", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.InsertData(
                table: "NotificationTemplates",
                columns: new[] { "Id", "Body", "Culture", "Enabled", "Milestone", "Subject", "UpdatedAtUtc" },
                values: new object[,]
                {
                    { 1, "您的订单{orderNo}已发货,{carrier}运单号{trackingNo},查询:{trackingUrl}", "zh-CN", true, "Shipped", "您的订单已发货", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 2, "Your order {orderNo} has shipped with {carrier}, tracking number {trackingNo}: {trackingUrl}", "en", true, "Shipped", "Your order has shipped", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 3, "您的包裹{trackingNo}正在派送中,请保持电话畅通。", "zh-CN", true, "OutForDelivery", "您的包裹正在派送", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 4, "Your parcel {trackingNo} is out for delivery today.", "en", true, "OutForDelivery", "Out for delivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 5, "您的订单{orderNo}(运单号{trackingNo})已签收,感谢您的购买。", "zh-CN", true, "Delivered", "您的包裹已签收", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 6, "Your order {orderNo} (tracking number {trackingNo}) has been delivered. Thank you.", "en", true, "Delivered", "Delivered", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 7, "您的包裹{trackingNo}配送遇到问题,我们正在处理,如有疑问请联系客服。", "zh-CN", true, "Exception", "您的包裹配送遇到问题", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 8, "Your parcel {trackingNo} has a delivery problem; we are on it and will keep you posted.", "en", true, "Exception", "A problem with your delivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 9, "您的退货已预约上门取件,时间{window},取件码{pickupCode}。", "zh-CN", true, "PickupBooked", "上门取件已预约", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 10, "Your return pickup is booked for {window}; pickup code {pickupCode}.", "en", true, "PickupBooked", "Pickup booked", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 11, "您的退货包裹已被快递取走,运单号{trackingNo}。", "zh-CN", true, "PickedUp", "退货已取件", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 12, "Your return parcel was picked up, tracking number {trackingNo}.", "en", true, "PickedUp", "Return picked up", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 13, "您的订单{orderNo}退款{amount}已处理。", "zh-CN", true, "Refunded", "退款已处理", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 14, "Your refund of {amount} for order {orderNo} has been issued.", "en", true, "Refunded", "Refund issued", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCaseNotes_CaseId",
                table: "ExceptionCaseNotes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_OrderId",
                table: "ExceptionCases",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ShipmentId_Type_TriggerAtUtc",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type", "TriggerAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_Status_Type",
                table: "ExceptionCases",
                columns: new[] { "Status", "Type" });

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved'");

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_OutboxId_Channel",
                table: "NotificationDeliveryLog",
                columns: new[] { "OutboxId", "Channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_SentAtUtc",
                table: "NotificationDeliveryLog",
                column: "SentAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOptOuts_Address",
                table: "NotificationOptOuts",
                column: "Address",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationTemplates_Milestone_Culture",
                table: "NotificationTemplates",
                columns: new[] { "Milestone", "Culture" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_CarrierAccountId",
                table: "Pickups",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_OrderCode",
                table: "Pickups",
                column: "OrderCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_ReturnId_Attempt",
                table: "Pickups",
                columns: new[] { "ReturnId", "Attempt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_Status_WindowEndUtc",
                table: "Pickups",
                columns: new[] { "Status", "WindowEndUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_ReturnId",
                table: "Refunds",
                column: "ReturnId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_Status",
                table: "Refunds",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_ReturnLines_OrderLineId",
                table: "ReturnLines",
                column: "OrderLineId");

            migrationBuilder.CreateIndex(
                name: "IX_ReturnLines_ReturnId",
                table: "ReturnLines",
                column: "ReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_ReturnPhotos_ReturnId",
                table: "ReturnPhotos",
                column: "ReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_Returns_CreatedAtUtc_Id",
                table: "Returns",
                columns: new[] { "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Returns_OrderId",
                table: "Returns",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Returns_RmaNo",
                table: "Returns",
                column: "RmaNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Returns_ShipmentId",
                table: "Returns",
                column: "ShipmentId");

            migrationBuilder.CreateIndex(
                name: "IX_Returns_Status_CreatedAtUtc_Id",
                table: "Returns",
                columns: new[] { "Status", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SlaRules_ShipperCode_OriginProvince_DestinationProvince",
                table: "SlaRules",
                columns: new[] { "ShipperCode", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatches_CarrierAccountId",
                table: "WaybillBatches",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatches_CreatedAtUtc",
                table: "WaybillBatches",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatches_Status_LeaseUntilUtc",
                table: "WaybillBatches",
                columns: new[] { "Status", "LeaseUntilUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_BatchId_OrderId",
                table: "WaybillBatchItems",
                columns: new[] { "BatchId", "OrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_BatchId_Status_Id",
                table: "WaybillBatchItems",
                columns: new[] { "BatchId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_OrderId",
                table: "WaybillBatchItems",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_BatchId_PickKey",
                table: "Waybills",
                columns: new[] { "BatchId", "PickKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_CarrierAccountId",
                table: "Waybills",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_IssuedAtUtc",
                table: "Waybills",
                column: "IssuedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_LiveOrderId",
                table: "Waybills",
                column: "LiveOrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_OrderCode",
                table: "Waybills",
                column: "OrderCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_OrderId_Id",
                table: "Waybills",
                columns: new[] { "OrderId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_ShipperCode_TrackingNo",
                table: "Waybills",
                columns: new[] { "ShipperCode", "TrackingNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_OutboxId_SubscriptionId",
                table: "WebhookDeliveries",
                columns: new[] { "OutboxId", "SubscriptionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Status_NextAttemptAtUtc",
                table: "WebhookDeliveries",
                columns: new[] { "Status", "NextAttemptAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_SubscriptionId_Id",
                table: "WebhookDeliveries",
                columns: new[] { "SubscriptionId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExceptionCaseNotes");

            migrationBuilder.DropTable(
                name: "KpiDaily");

            migrationBuilder.DropTable(
                name: "KpiRollupState");

            migrationBuilder.DropTable(
                name: "MonitoringRules");

            migrationBuilder.DropTable(
                name: "NotificationDeliveryLog");

            migrationBuilder.DropTable(
                name: "NotificationOptOuts");

            migrationBuilder.DropTable(
                name: "NotificationTemplates");

            migrationBuilder.DropTable(
                name: "Pickups");

            migrationBuilder.DropTable(
                name: "Refunds");

            migrationBuilder.DropTable(
                name: "ReturnLines");

            migrationBuilder.DropTable(
                name: "ReturnPhotos");

            migrationBuilder.DropTable(
                name: "SlaRules");

            migrationBuilder.DropTable(
                name: "WaybillBatchItems");

            migrationBuilder.DropTable(
                name: "Waybills");

            migrationBuilder.DropTable(
                name: "WebhookDeliveries");

            migrationBuilder.DropTable(
                name: "ExceptionCases");

            migrationBuilder.DropTable(
                name: "Returns");

            migrationBuilder.DropTable(
                name: "WaybillBatches");

            migrationBuilder.DropTable(
                name: "WebhookSubscriptions");

            migrationBuilder.DropColumn(
                name: "SubscribeAttemptedAtUtc",
                table: "Shipments");
        }
    }
}
