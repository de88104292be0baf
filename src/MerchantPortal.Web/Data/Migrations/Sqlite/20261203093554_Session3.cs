using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Session3 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily");

            migrationBuilder.DropIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases");

            migrationBuilder.AddColumn<long>(
                name: "ReshipOfOrderId",
                table: "Orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CaseId",
                table: "NotificationOutbox",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Span",
                table: "KpiDaily",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AlterColumn<string>(
                name: "TrackingNo",
                table: "ExceptionCases",
                type: "TEXT",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<long>(
                name: "ShipmentId",
                table: "ExceptionCases",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "ReshipOrderId",
                table: "ExceptionCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReturnId",
                table: "ExceptionCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StartedReturnId",
                table: "ExceptionCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FreightBills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CarrierAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    StoredPath = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PeriodFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PeriodTo = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ProgressPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<int>(type: "INTEGER", nullable: false),
                    ValidRows = table.Column<int>(type: "INTEGER", nullable: false),
                    ErrorRows = table.Column<int>(type: "INTEGER", nullable: false),
                    BilledAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    ExpectedAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    DiscrepancyCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DiscrepancyAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    AmountTolerance = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Failure = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightBills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightBills_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FreightRateCards",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CarrierAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FirstWeightKg = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    FirstPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    AdditionalPerKg = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightRateCards", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightRateCards_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HubAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Hub = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OpenHub = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OpenedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastEvaluatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecentFromUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecentToUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecentShipments = table.Column<int>(type: "INTEGER", nullable: false),
                    RecentExceptions = table.Column<int>(type: "INTEGER", nullable: false),
                    BaselineShipments = table.Column<int>(type: "INTEGER", nullable: false),
                    BaselineExceptions = table.Column<int>(type: "INTEGER", nullable: false),
                    Z = table.Column<double>(type: "REAL", nullable: false),
                    PeakZ = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HubAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FreightBillErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BillId = table.Column<long>(type: "INTEGER", nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: false),
                    Column = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightBillErrors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightBillErrors_FreightBills_BillId",
                        column: x => x.BillId,
                        principalTable: "FreightBills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FreightBillLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BillId = table.Column<long>(type: "INTEGER", nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: false),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BilledWeightKg = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightBillLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightBillLines_FreightBills_BillId",
                        column: x => x.BillId,
                        principalTable: "FreightBills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FreightDiscrepancies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BillId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: true),
                    BilledWeightKg = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    OurWeightKg = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    BilledAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    ExpectedAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    Difference = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightDiscrepancies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightDiscrepancies_FreightBills_BillId",
                        column: x => x.BillId,
                        principalTable: "FreightBills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[] { 9, null, 8, true, true, null, "Medium", null, 0, "PickupNoShow", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) });

            migrationBuilder.CreateIndex(
                name: "IX_TrackingEvents_Hub_Scans",
                table: "TrackingEvents",
                columns: new[] { "TimeUtc", "Location", "Status", "ShipmentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReshipOfOrderId",
                table: "Orders",
                column: "ReshipOfOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_CaseId",
                table: "NotificationOutbox",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Span_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Trend",
                table: "KpiDaily",
                columns: new[] { "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince", "Final", "Delivered", "WithPromise", "OnTime", "FirstAttempt", "Exceptions", "Returned", "TransitCount", "TransitHoursSum" });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ReshipOrderId",
                table: "ExceptionCases",
                column: "ReshipOrderId",
                unique: true,
                filter: "[ReshipOrderId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ReturnId_Type_TriggerAtUtc",
                table: "ExceptionCases",
                columns: new[] { "ReturnId", "Type", "TriggerAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_StartedReturnId",
                table: "ExceptionCases",
                column: "StartedReturnId");

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved' AND [ShipmentId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_OpenReturn",
                table: "ExceptionCases",
                columns: new[] { "ReturnId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved' AND [ReturnId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FreightBillErrors_BillId_Row",
                table: "FreightBillErrors",
                columns: new[] { "BillId", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightBillLines_BillId_Row",
                table: "FreightBillLines",
                columns: new[] { "BillId", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightBillLines_TrackingNo",
                table: "FreightBillLines",
                column: "TrackingNo");

            migrationBuilder.CreateIndex(
                name: "IX_FreightBills_CarrierAccountId_CreatedAtUtc",
                table: "FreightBills",
                columns: new[] { "CarrierAccountId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightDiscrepancies_BillId_Kind",
                table: "FreightDiscrepancies",
                columns: new[] { "BillId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightRateCards_CarrierAccountId_DestinationProvince",
                table: "FreightRateCards",
                columns: new[] { "CarrierAccountId", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HubAlerts_OpenedAtUtc",
                table: "HubAlerts",
                column: "OpenedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_HubAlerts_OpenHub",
                table: "HubAlerts",
                column: "OpenHub",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_ExceptionCases_Orders_ReshipOrderId",
                table: "ExceptionCases",
                column: "ReshipOrderId",
                principalTable: "Orders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ExceptionCases_Returns_ReturnId",
                table: "ExceptionCases",
                column: "ReturnId",
                principalTable: "Returns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ExceptionCases_Returns_StartedReturnId",
                table: "ExceptionCases",
                column: "StartedReturnId",
                principalTable: "Returns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_NotificationOutbox_ExceptionCases_CaseId",
                table: "NotificationOutbox",
                column: "CaseId",
                principalTable: "ExceptionCases",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Orders_Orders_ReshipOfOrderId",
                table: "Orders",
                column: "ReshipOfOrderId",
                principalTable: "Orders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ExceptionCases_Orders_ReshipOrderId",
                table: "ExceptionCases");

            migrationBuilder.DropForeignKey(
                name: "FK_ExceptionCases_Returns_ReturnId",
                table: "ExceptionCases");

            migrationBuilder.DropForeignKey(
                name: "FK_ExceptionCases_Returns_StartedReturnId",
                table: "ExceptionCases");

            migrationBuilder.DropForeignKey(
                name: "FK_NotificationOutbox_ExceptionCases_CaseId",
                table: "NotificationOutbox");

            migrationBuilder.DropForeignKey(
                name: "FK_Orders_Orders_ReshipOfOrderId",
                table: "Orders");

            migrationBuilder.DropTable(
                name: "FreightBillErrors");

            migrationBuilder.DropTable(
                name: "FreightBillLines");

            migrationBuilder.DropTable(
                name: "FreightDiscrepancies");

            migrationBuilder.DropTable(
                name: "FreightRateCards");

            migrationBuilder.DropTable(
                name: "HubAlerts");

            migrationBuilder.DropTable(
                name: "FreightBills");

            migrationBuilder.DropIndex(
                name: "IX_TrackingEvents_Hub_Scans",
                table: "TrackingEvents");

            migrationBuilder.DropIndex(
                name: "IX_Orders_ReshipOfOrderId",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_NotificationOutbox_CaseId",
                table: "NotificationOutbox");

            migrationBuilder.DropIndex(
                name: "IX_KpiDaily_Span_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily");

            migrationBuilder.DropIndex(
                name: "IX_KpiDaily_Trend",
                table: "KpiDaily");

            migrationBuilder.DropIndex(
                name: "IX_ExceptionCases_ReshipOrderId",
                table: "ExceptionCases");

            migrationBuilder.DropIndex(
                name: "IX_ExceptionCases_ReturnId_Type_TriggerAtUtc",
                table: "ExceptionCases");

            migrationBuilder.DropIndex(
                name: "IX_ExceptionCases_StartedReturnId",
                table: "ExceptionCases");

            migrationBuilder.DropIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases");

            migrationBuilder.DropIndex(
                name: "UX_ExceptionCases_OpenReturn",
                table: "ExceptionCases");

            migrationBuilder.DeleteData(
                table: "MonitoringRules",
                keyColumn: "Id",
                keyValue: 9);

            migrationBuilder.DropColumn(
                name: "ReshipOfOrderId",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "CaseId",
                table: "NotificationOutbox");

            migrationBuilder.DropColumn(
                name: "Span",
                table: "KpiDaily");

            migrationBuilder.DropColumn(
                name: "ReshipOrderId",
                table: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "ReturnId",
                table: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "StartedReturnId",
                table: "ExceptionCases");

            migrationBuilder.AlterColumn<string>(
                name: "TrackingNo",
                table: "ExceptionCases",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "ShipmentId",
                table: "ExceptionCases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved'");
        }
    }
}
