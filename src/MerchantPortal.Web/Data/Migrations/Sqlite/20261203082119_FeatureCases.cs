using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FeatureCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[] { 9, null, 8, true, true, null, "Medium", null, 0, "PickupNoShow", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReshipOfOrderId",
                table: "Orders",
                column: "ReshipOfOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_CaseId",
                table: "NotificationOutbox",
                column: "CaseId");

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

            migrationBuilder.DropIndex(
                name: "IX_Orders_ReshipOfOrderId",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_NotificationOutbox_CaseId",
                table: "NotificationOutbox");

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
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved'");
        }
    }
}
