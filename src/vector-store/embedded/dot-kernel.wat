;; Dot products of a run of vectors with one query: float32 vectors two lanes of float64 at a
;; time (`dots`), int8 codes sixteen at a time (`dotsInt8`, below).
;; For float32, the arithmetic is the scalar `dot` of dot-kernel.ts, operation for operation: each float32
;; pair is widened and multiplied in float64 (exact), products are summed into four running sums
;; (s0 += x[j]·q[j], s1 += x[j+1]·q[j+1], ...) in the same order, a tail past the last multiple
;; of 4 goes into s0, and the result is ((s0 + s1) + s2) + s3. So every score is bit-identical to
;; the scalar loop's; only the instructions differ (s0 and s1 share one f64x2, s2 and s3 another).
;;
;; Compiled into dot-kernel.ts (`npm run build:wasm`); dot-kernel.spec.ts checks the bytes there
;; are this file's.
(module
  (memory (export "memory") 1)
  ;; scores[i] = dot(vector i, query) for i < count. Byte offsets: vectors (count × dim float32,
  ;; back to back), query (dim float32), scores (count float64).
  (func (export "dots") (param $vectors i32) (param $count i32) (param $dim i32) (param $query i32) (param $scores i32)
    (local $i i32) (local $j i32) (local $row i32)
    (local $s01 v128) (local $s23 v128) (local $x v128) (local $q v128)
    (local $s0 f64)
    (local.set $row (local.get $vectors))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $s01 (f64x2.splat (f64.const 0)))
        (local.set $s23 (f64x2.splat (f64.const 0)))
        (local.set $j (i32.const 0))
        (block $quads
          (loop $quad
            (br_if $quads (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $x (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $q (v128.load (i32.add (local.get $query) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $s01
              (f64x2.add (local.get $s01)
                (f64x2.mul (f64x2.promote_low_f32x4 (local.get $x)) (f64x2.promote_low_f32x4 (local.get $q)))))
            (local.set $s23
              (f64x2.add (local.get $s23)
                (f64x2.mul
                  (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
                  (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quad)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $s0
              (f64.add (local.get $s0)
                (f64.mul
                  (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
                  (f64.promote_f32 (f32.load (i32.add (local.get $query) (i32.shl (local.get $j) (i32.const 2))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (f64.store
          (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add
            (f64.add
              (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
              (f64x2.extract_lane 0 (local.get $s23)))
            (f64x2.extract_lane 1 (local.get $s23))))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $dim) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  ;; scores[i] = Σ codes[i][j] · query[j] for i < count, exactly, in int32: the dot product of
  ;; int8 codes with an int16 query (see int8-codes.ts for the scales that make these scores).
  ;; Byte offsets: codes (count × stride int8, back to back), query (stride int16), scores
  ;; (count int32). `stride` is a multiple of 16, the codes and the query zero past the
  ;; dimensions. Sixteen codes at a time: widened to two i16x8, each multiplied with eight query
  ;; values and summed in pairs (i32x4.dot_i16x8_s); integer sums, so the order does not matter.
  (func (export "dotsInt8") (param $codes i32) (param $count i32) (param $stride i32) (param $query i32) (param $scores i32)
    (local $i i32) (local $j i32) (local $row i32)
    (local $acc v128) (local $x v128)
    (local.set $row (local.get $codes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $acc (i32x4.splat (i32.const 0)))
        (local.set $j (i32.const 0))
        (block $sixteens
          (loop $sixteen
            (br_if $sixteens (i32.ge_u (local.get $j) (local.get $stride)))
            (local.set $x (v128.load (i32.add (local.get $row) (local.get $j))))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s
                  (i16x8.extend_low_i8x16_s (local.get $x))
                  (v128.load (i32.add (local.get $query) (i32.shl (local.get $j) (i32.const 1)))))))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s
                  (i16x8.extend_high_i8x16_s (local.get $x))
                  (v128.load (i32.add (local.get $query) (i32.add (i32.shl (local.get $j) (i32.const 1)) (i32.const 16)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $sixteen)))
        (i32.store
          (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (local.set $row (i32.add (local.get $row) (local.get $stride)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))))
