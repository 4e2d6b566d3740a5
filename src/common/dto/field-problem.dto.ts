import { ApiProperty } from '@nestjs/swagger';

/** One field's problems (FieldProblem in validation.ts), as validation errors and bulk failures list them. */
export class FieldProblemDto {
  @ApiProperty({ example: 'ingredients.0.name', description: 'Path of the field in the record' })
  field: string;

  @ApiProperty({ type: [String], example: ['name should not be empty'] })
  problems: string[];
}
