using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SharedHooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeliveredAtUtc",
                table: "Shipments",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DeliveryAttempts",
                table: "Shipments",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DestinationProvince",
                table: "Shipments",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FinalAtUtc",
                table: "Shipments",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstScanAtUtc",
                table: "Shipments",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OriginProvince",
                table: "Shipments",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OutForDeliveryAtUtc",
                table: "Shipments",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PromisedByUtc",
                table: "Shipments",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReturnId",
                table: "Shipments",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ServiceType",
                table: "Shipments",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StatusChangedAtUtc",
                table: "Shipments",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WarehouseId",
                table: "Shipments",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "NotificationOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Milestone = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: true),
                    EventType = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: true),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: true),
                    ReturnId = table.Column<long>(type: "bigint", nullable: true),
                    PayloadJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PortalSettings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalSettings", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_FinalAtUtc_Id",
                table: "Shipments",
                columns: new[] { "FinalAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_ReturnId",
                table: "Shipments",
                column: "ReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_Status_Id",
                table: "Shipments",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_OrderId",
                table: "NotificationOutbox",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_Status_NextAttemptAtUtc",
                table: "NotificationOutbox",
                columns: new[] { "Status", "NextAttemptAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NotificationOutbox");

            migrationBuilder.DropTable(
                name: "PortalSettings");

            migrationBuilder.DropIndex(
                name: "IX_Shipments_FinalAtUtc_Id",
                table: "Shipments");

            migrationBuilder.DropIndex(
                name: "IX_Shipments_ReturnId",
                table: "Shipments");

            migrationBuilder.DropIndex(
                name: "IX_Shipments_Status_Id",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "DeliveredAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "DeliveryAttempts",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "DestinationProvince",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "FinalAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "FirstScanAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "OriginProvince",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "OutForDeliveryAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PromisedByUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "ReturnId",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "ServiceType",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "StatusChangedAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "WarehouseId",
                table: "Shipments");
        }
    }
}
